import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type { Principal } from '../auth/principal';
import { AppError, conflict } from '../errors';
import { guide } from '../matters/guidance';
import { ACTIONS, type ActionId, type Answers, type MatterAction } from '../matters/schema';
import { isPrefilled, prefillForm, type DraftForm, type PrefillResult } from '../../workers/prefill/prefill-form';
import { latestFormVersion } from './deployed-form';
import { checkFieldValue } from './field-values';
import { lastApplicationValues } from './history';
import { newResumeCode } from './resume-code';
import { addEvent, loadApplication, specOf, type ApplicationDeps, type ApplicationRow, type ListedMaterial } from './store';

export interface NewDraft {
  matter: string;
  action: string;
  licenseId?: string;
  answers?: Record<string, unknown>;
}

const invalid = (message: string, details: { field: string; message: string }[]) =>
  new AppError(400, 'VALIDATION_FAILED', message, details);

/** The caller's code in the registries: a USCC for an enterprise account, an ID number for a person. */
export const holderCodeOf = (principal: Principal): string | null => principal.uscc ?? principal.idNumber;

/** Work done in the draft's own transaction, so that a draft refused or failing leaves none of it behind. */
export interface DraftHooks {
  /** Before the draft is inserted (the counter makes the holder's account here). */
  before?: (trx: Knex.Transaction) => Promise<void>;
  /** Once it is inserted and recorded: the draft as it then is. */
  after?: (trx: Knex.Transaction, row: ApplicationRow) => Promise<ApplicationRow>;
}

/**
 * A new draft (shared/API.md `POST /applications`): the questionnaire must be complete and the caller eligible; the
 * form comes prefilled from the registries, the e-licence library, the answers and the caller's last application of
 * the matter; the material list is the one guidance settles, with the exemptions. A registry that fails leaves its
 * fields to the applicant and the draft is still made.
 */
export async function createDraft(
  deps: ApplicationDeps,
  principal: Principal,
  request: NewDraft,
  within: DraftHooks = {},
): Promise<ApplicationRow> {
  const matter = deps.matters.get(request.matter);
  if (!matter) throw invalid(`没有这个事项："${request.matter}"`, [{ field: 'body.matter', message: 'no such matter' }]);
  if (principal.kind === 'staff') {
    throw new AppError(403, 'FORBIDDEN', '工作人员代办请使用窗口受理功能 (staff apply on behalf of someone at the counter)');
  }
  const now = deps.clock.now();
  const guidance = await guide(
    matter,
    { action: request.action, answers: request.answers, licenseId: request.licenseId },
    {
      caller: { kind: principal.kind, code: holderCodeOf(principal) },
      calendar: deps.matters.calendar,
      now,
      exemptions: deps.exemptions,
      eligibility: deps.eligibility,
    },
  );
  const action = guidance.action;
  const spec = matter.actions[action]!;
  if (guidance.eligible === false) {
    throw new AppError(422, 'NOT_ELIGIBLE', `不符合申请条件：${guidance.reasons.join('；')}`, { reasons: guidance.reasons });
  }
  if (guidance.nextQuestion) {
    const q = guidance.nextQuestion;
    throw invalid(`请先回答：${q.text}`, [{ field: `body.answers.${q.id}`, message: q.text }]);
  }

  const answers = (request.answers ?? {}) as Answers;
  const history = await lastApplicationValues(deps.knex, principal.id, matter.slug);
  const filled = await prefillForm(
    { fields: spec.fields, holderCode: holderCodeOf(principal), licenseId: request.licenseId ?? null, answers, history },
    deps.registries,
  );
  const licenseId = spec.requiredLicense ? (filled.licenses[spec.requiredLicense.licenseType] ?? request.licenseId ?? null) : null;
  const materials: ListedMaterial[] = guidance.materials.map((m) => {
    const material = matter.materials.find((x) => x.code === m.code)!;
    return { ...m, channel: material.source.channel, fileTypes: material.fileTypes };
  });
  const counts = figures(filled.form, materials);
  const deployedForm = await latestFormVersion(deps.knex, matter.slug, action);

  const id = crypto.randomUUID();
  return deps.knex.transaction(async (trx) => {
    await within.before?.(trx);
    const [row] = await trx('applications')
      .insert({
        id,
        matter_slug: matter.slug,
        action,
        department: matter.department.id,
        applicant_id: principal.id,
        status: 'draft',
        resume_code: await newResumeCode(trx),
        license_id: licenseId,
        answers: JSON.stringify(answers),
        form: JSON.stringify(filled.form),
        form_id: deployedForm?.id ?? null,
        form_version: deployedForm?.version ?? null,
        situation: guidance.situation?.id ?? null,
        material_list: JSON.stringify(materials),
        channel: 'online',
        prefill_ratio: counts.prefillRatio,
        exemption_ratio: counts.exemptionRatio,
        fields_total: counts.fieldsTotal,
        fields_prefilled: counts.fieldsPrefilled,
        created_at: now,
        updated_at: now,
      })
      .returning('*');
    const unavailable = filled.unavailable.length ? `；${filled.unavailable.length}个数据源暂时无法查询，相关内容请自行填写` : '';
    await addEvent(trx, now, id, {
      kind: 'created',
      status: 'draft',
      message: `创建草稿：${matter.name}（${spec.name}），已自动填写${counts.fieldsPrefilled}/${counts.fieldsTotal}项${unavailable}`,
      data: { prefilled: counts.fieldsPrefilled, fields: counts.fieldsTotal, unavailable: filled.unavailable },
    });
    await deps.audit.append(
      {
        actor: principal.id,
        action: 'application.created',
        entityType: 'application',
        entityId: id,
        data: { matter: matter.slug, action, licenseId, prefilled: counts.fieldsPrefilled, fields: counts.fieldsTotal },
      },
      trx,
    );
    return within.after ? within.after(trx, row as ApplicationRow) : (row as ApplicationRow);
  });
}

/** The prefill ratio (prefilled fields / all fields) and the material exemption ratio, kept for the metrics. */
export function figures(form: DraftForm, materials: ListedMaterial[]) {
  const keys = Object.keys(form);
  const fieldsPrefilled = keys.filter((k) => isPrefilled(form[k])).length;
  const exempted = materials.filter((m) => m.exemptBecause).length;
  return {
    fieldsTotal: keys.length,
    fieldsPrefilled,
    prefillRatio: keys.length ? fieldsPrefilled / keys.length : 0,
    exemptionRatio: materials.length ? exempted / materials.length : 0,
  };
}

/**
 * The applicant's changes to a draft (`PATCH /applications/{id}`): each field must exist, not be locked, and hold a
 * value of its type; one bad field refuses them all. Naming the second party (e.g. the employee's ID number) fills
 * what the platform knows of them.
 */
export async function editDraft(
  deps: ApplicationDeps,
  principal: Principal,
  id: string,
  changes: Record<string, unknown>,
): Promise<ApplicationRow> {
  // Registry lookups happen outside the transaction (PGlite has one connection); the row must not change meanwhile.
  const row = await loadApplication(deps.knex, principal, id, { ownerOnly: true });
  const refuseUnlessDraft = (status: string) => {
    if (status === 'returned') throw conflict('退回补正的申请请通过补正提交修改 (use corrections)');
    if (status !== 'draft') throw conflict('申请已提交，不能再修改草稿');
  };
  refuseUnlessDraft(row.status);
  const { spec } = specOf(deps.matters, row);
  const { form, unavailable } = await refillSecondParty(deps, spec, row, applyChanges(spec, row.form, changes, 'body.form'));
  const now = deps.clock.now();
  const counts = figures(form, row.material_list);
  return deps.knex.transaction(async (trx) => {
    const locked = await loadApplication(trx, principal, id, { forUpdate: true, ownerOnly: true });
    refuseUnlessDraft(locked.status);
    if (new Date(locked.updated_at).getTime() !== new Date(row.updated_at).getTime())
      throw conflict('草稿刚刚被另一处修改，请刷新后重试 (changed meanwhile)');
    await trx('applications')
      .where({ id })
      .update({
        form: JSON.stringify(form),
        updated_at: now,
        prefill_ratio: counts.prefillRatio,
        fields_prefilled: counts.fieldsPrefilled,
      });
    if (unavailable.length)
      await addEvent(trx, now, id, {
        kind: 'prefill',
        message: `${unavailable.length}个数据源暂时无法查询，${spec.secondParty?.role ?? '相关人'}的信息请自行填写`,
        data: { unavailable },
      });
    await deps.audit.append(
      {
        actor: principal.id,
        action: 'application.edited',
        entityType: 'application',
        entityId: id,
        data: { fields: Object.keys(changes) },
      },
      trx,
    );
    return { ...locked, form, updated_at: now };
  });
}

/** The form with the applicant's changes, each checked; throws 400 naming every bad field under `prefix`. */
export function applyChanges(spec: MatterAction, form: DraftForm, changes: Record<string, unknown>, prefix: string): DraftForm {
  const problems: { field: string; message: string }[] = [];
  const next: DraftForm = { ...form };
  for (const [key, raw] of Object.entries(changes)) {
    const field = spec.fields.find((f) => f.key === key);
    const at = `${prefix}.${key}`;
    if (!field) {
      problems.push({ field: at, message: `没有这一项："${key}"` });
      continue;
    }
    if (form[key]?.locked) {
      problems.push({ field: at, message: `${field.label}来自${form[key].source === 'license' ? '电子证照库' : '共享数据'}，不能修改` });
      continue;
    }
    const checked = checkFieldValue(field, raw);
    if (!checked.ok) problems.push({ field: at, message: checked.message });
    else next[key] = { value: checked.value, source: 'applicant', locked: false };
  }
  if (problems.length) {
    const locked = problems.some((p) => p.message.includes('不能修改'));
    throw new AppError(400, locked ? 'FIELD_LOCKED' : 'VALIDATION_FAILED', problems.map((p) => p.message).join('；'), problems);
  }
  return next;
}

/**
 * When the applicant names the second party, what the registries and the e-licence library hold of them fills in at
 * once; a registry that cannot answer leaves those fields to type (`unavailable` names it).
 */
async function refillSecondParty(
  deps: ApplicationDeps,
  spec: MatterAction,
  row: ApplicationRow,
  form: DraftForm,
): Promise<{ form: DraftForm; unavailable: PrefillResult['unavailable'] }> {
  const idField = spec.secondParty?.idField;
  if (!idField || JSON.stringify(row.form[idField]?.value ?? null) === JSON.stringify(form[idField]?.value ?? null))
    return { form, unavailable: [] };
  const secondPartyCode = (form[idField]?.value as string | null) ?? null;
  const dependent = new Set(
    spec.fields.filter((f) => f.prefill.from !== 'applicant' && f.prefill.holder === 'second-party').map((f) => f.key),
  );
  // Values of the previous second party go: they are not this person's.
  const current: DraftForm = Object.fromEntries(Object.entries(form).filter(([key]) => !dependent.has(key)));
  const filled: PrefillResult = await prefillForm(
    { fields: spec.fields, holderCode: null, secondPartyCode, current },
    { ...deps.registries },
  );
  const next: DraftForm = { ...form };
  for (const key of dependent) next[key] = filled.form[key];
  return { form: next, unavailable: filled.unavailable };
}

export const isAction = (value: string): value is ActionId => (ACTIONS as readonly string[]).includes(value);
