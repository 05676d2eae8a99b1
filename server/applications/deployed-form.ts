import type { Knex } from 'knex';
import type { MatterAction } from '../matters/schema';
import { evaluateFeel, feelBody, isFeel } from '../engine/feel';
import { isEmpty, type DraftForm } from '../../workers/prefill/prefill-form';
import type { ApplicationRow } from './store';

/** A form-js component, as far as the platform reads it. */
interface FormComponent {
  type?: string;
  key?: string;
  label?: string;
  validate?: { required?: boolean };
  conditional?: { hide?: string };
  components?: FormComponent[];
}

/** The deployed form a draft was made with: channels render it, submission enforces what it requires. */
export interface DeployedForm {
  id: string;
  version: number;
  schema: { components?: FormComponent[] } & Record<string, unknown>;
}

type Db = Knex | Knex.Transaction;

/** The form an applicant fills for a matter's action (`processes/<matter>/<action>.form`): `<matter-slug>-<action>`. */
export const formIdOf = (matterSlug: string, action: string) => `${matterSlug}-${action}`;

/** The newest deployed version of the matter's action form, or nothing when no form is deployed for it. */
export async function latestFormVersion(db: Db, matterSlug: string, action: string): Promise<{ id: string; version: number } | undefined> {
  const id = formIdOf(matterSlug, action);
  const row = await db('resources').where({ kind: 'form', resource_id: id }).max('version as version').first();
  return row?.version == null ? undefined : { id, version: Number(row.version) };
}

/** The form version an application's row names. */
type FormRef = Pick<ApplicationRow, 'form_id' | 'form_version'>;

/** The form version the application's draft was made with: later deployments do not change a draft already made. */
export async function deployedFormOf(db: Db, application: FormRef): Promise<DeployedForm | null> {
  const { form_id: id, form_version: version } = application;
  if (!id || version == null) return null;
  const row = await db('resources').where({ kind: 'form', resource_id: id, version }).first('content');
  if (!row) return null;
  return { id, version: Number(version), schema: JSON.parse(row.content) };
}

/** What the application's deployed form requires and its draft lacks (`missingRequired`); nothing when it has none. */
export async function missingOnDeployedForm(
  db: Db,
  application: FormRef & { form: DraftForm },
  spec: MatterAction,
): Promise<{ field: string; message: string }[]> {
  const deployed = await deployedFormOf(db, application);
  return deployed ? missingRequired(deployed.schema, application.form, spec) : [];
}

/**
 * The fields a form marks `validate.required` that the draft leaves empty (or a required checkbox unticked), beyond
 * what matter.json requires already; a field the form hides (`conditional.hide`) is not asked for. Only the fields the
 * matter defines can hold a value in a draft, so only those are enforced.
 */
export function missingRequired(
  schema: DeployedForm['schema'],
  form: DraftForm,
  spec: Pick<MatterAction, 'fields'>,
): { field: string; message: string }[] {
  const values = Object.fromEntries(Object.entries(form).map(([key, field]) => [key, field?.value ?? null]));
  const problems: { field: string; message: string }[] = [];
  for (const component of requiredInputs(schema.components ?? [], values)) {
    const field = spec.fields.find((f) => f.key === component.key);
    if (!field || field.required) continue;
    const value = form[field.key]?.value;
    const label = component.label || field.label;
    if (isEmpty(value)) problems.push({ field: `form.${field.key}`, message: `请填写${label}` });
    else if (component.type === 'checkbox' && value === false) problems.push({ field: `form.${field.key}`, message: `请确认：${label}` });
  }
  return problems;
}

/** The shown input components marked required, groups and pages walked into. */
function requiredInputs(components: FormComponent[], values: Record<string, unknown>): FormComponent[] {
  return components.flatMap((component) => {
    if (hidden(component, values)) return [];
    const inner = Array.isArray(component.components) ? requiredInputs(component.components, values) : [];
    return component.key && component.validate?.required === true ? [component, ...inner] : inner;
  });
}

/** A `conditional.hide` FEEL expression over the form's values; one that cannot be evaluated leaves the field shown. */
function hidden(component: FormComponent, values: Record<string, unknown>): boolean {
  const hide = component.conditional?.hide;
  if (typeof hide !== 'string' || !hide.trim()) return false;
  try {
    return evaluateFeel(isFeel(hide) ? feelBody(hide) : hide, values, `conditional.hide of ${component.key ?? component.type}`) === true;
  } catch {
    return false;
  }
}
