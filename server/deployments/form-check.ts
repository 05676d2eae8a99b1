import { feelSyntaxError } from './feel';
import type { FileCheck } from './types';

// The component types of form-js 1.x (its JSON schema's list), and those that hold a value under `key`.
const KNOWN_TYPES = new Set([
  'textfield', 'number', 'datetime', 'textarea', 'checkbox', 'radio', 'select', 'checklist', 'taglist', 'image', 'text',
  'html', 'button', 'spacer', 'group', 'dynamiclist', 'multipage', 'page', 'separator', 'table', 'iframe', 'expression',
  'filepicker', 'documentPreview',
]);
const INPUT_TYPES = new Set(['checkbox', 'checklist', 'datetime', 'number', 'radio', 'select', 'taglist', 'textfield', 'textarea', 'expression', 'filepicker']);
const OPTION_TYPES = new Set(['checklist', 'radio', 'select', 'taglist']);
const CONTAINER_TYPES = new Set(['group', 'dynamiclist', 'multipage', 'page']);

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Checks a form-js form: JSON, `type: "default"`, an `id`, and components that form-js can render and bind. */
export function checkForm(file: string, text: string): FileCheck {
  const result: FileCheck = { resources: [], errors: [], warnings: [] };
  let form: unknown;
  try {
    form = JSON.parse(text);
  } catch (error) {
    result.errors.push({ file, message: `The form is not JSON: ${(error as Error).message}` });
    return result;
  }
  if (!isObject(form)) {
    result.errors.push({ file, message: 'The form must be a JSON object' });
    return result;
  }
  const formId = typeof form.id === 'string' && form.id.trim() ? form.id : undefined;
  const problem = (message: string, elementId = formId) => result.errors.push({ file, elementId, message });
  if (form.type !== 'default') problem(`"type" must be "default" (a form-js form), not ${JSON.stringify(form.type)}`);
  if (!formId) problem('"id" must be a non-empty string: it is the form id that user tasks name in zeebe:formDefinition');
  if (form.schemaVersion !== undefined && !Number.isInteger(form.schemaVersion)) problem('"schemaVersion" must be an integer');
  if (!Array.isArray(form.components)) {
    problem('"components" must be an array');
  } else {
    new ComponentWalk(file, result).walk(form.components, 'components', '', 'form');
  }
  if (formId) result.resources.push({ kind: 'form', id: formId, name: null });
  return result;
}

class ComponentWalk {
  private readonly ids = new Set<string>();
  private readonly keys = new Map<string, string>();

  constructor(
    private readonly file: string,
    private readonly result: FileCheck,
  ) {}

  private error(elementId: string, message: string): void {
    this.result.errors.push({ file: this.file, elementId, message });
  }

  /** `scope` is the data path that keys are relative to: a group or a dynamic list with a `path` opens a new one. */
  walk(components: unknown[], where: string, scope: string, parentType: string): void {
    components.forEach((component, index) => {
      const at = `${where}[${index}]`;
      if (!isObject(component)) return this.error(at, 'A component must be a JSON object');
      const type = component.type;
      const label = typeof component.id === 'string' && component.id ? component.id : typeof component.key === 'string' && component.key ? component.key : at;
      if (typeof type !== 'string' || !type) return this.error(label, 'The component has no "type"');
      if (!KNOWN_TYPES.has(type)) {
        this.result.warnings.push({ file: this.file, elementId: label, message: `Unknown component type "${type}": form-js renders it only with a custom extension` });
      }
      if ((type === 'page') !== (parentType === 'multipage')) this.error(label, 'A "page" belongs directly in a "multipage", and a "multipage" holds only pages');
      if (typeof component.id === 'string') {
        if (this.ids.has(component.id)) this.error(label, `The component id "${component.id}" is used twice`);
        this.ids.add(component.id);
      }
      if (INPUT_TYPES.has(type)) this.checkKey(component, label, scope);
      if (OPTION_TYPES.has(type) && !Array.isArray(component.values) && !component.valuesKey && !component.valuesExpression) {
        this.error(label, `A "${type}" needs its options: "values", "valuesKey" or "valuesExpression"`);
      }
      if (type === 'expression' && typeof component.expression !== 'string') this.error(label, 'An "expression" field needs its "expression"');
      this.checkFeel(component, label);
      if (CONTAINER_TYPES.has(type)) {
        if (type === 'dynamiclist' && (typeof component.path !== 'string' || !component.path)) this.error(label, 'A "dynamiclist" needs a "path"');
        const path = typeof component.path === 'string' && component.path ? component.path : '';
        // Items of a dynamic list bind relative to each list entry, so their keys never clash with the outer ones.
        const inner = type === 'dynamiclist' ? `${scope}${path}[]` : path ? `${scope}${path}.` : scope;
        if (component.components !== undefined && !Array.isArray(component.components)) return this.error(label, '"components" must be an array');
        this.walk((component.components as unknown[]) ?? [], `${at}.components`, inner, type);
      }
    });
  }

  private checkKey(component: Json, label: string, scope: string): void {
    const key = component.key;
    if (typeof key !== 'string' || !key.trim()) return this.error(label, `A "${String(component.type)}" field needs a "key": the variable it binds`);
    if (/\s/.test(key)) return this.error(label, `The key "${key}" contains white space`);
    const bound = scope + key;
    const first = this.keys.get(bound);
    if (first) return this.error(label, `The key "${key}" is already bound by ${first}`);
    this.keys.set(bound, label);
  }

  /** form-js evaluates a property that starts with "=" as FEEL (conditions, labels, options). */
  private checkFeel(value: unknown, label: string, property = ''): void {
    if (typeof value === 'string') {
      const reason = value.startsWith('=') ? feelSyntaxError(value.slice(1), 'expression') : undefined;
      if (reason) {
        this.result.errors.push({ file: this.file, elementId: label, rule: 'feel-syntax', message: `FEEL in "${property}" does not parse (${reason}): ${value}` });
      }
    } else if (Array.isArray(value)) {
      value.forEach((item, n) => this.checkFeel(item, label, `${property}[${n}]`));
    } else if (isObject(value)) {
      for (const [name, item] of Object.entries(value)) {
        if (name !== 'components') this.checkFeel(item, label, property ? `${property}.${name}` : name);
      }
    }
  }
}
