import type { Answers, FormField } from '../../server/matters/schema';
import { RegistryUnavailable, type License, type RegistryName, type Registries } from '../../server/registries';

/** Where a field's value came from (shared/API.md): the platform's sources, or the applicant. */
export type FieldSource = 'registry' | 'license' | 'history' | 'ocr' | 'applicant';
export type FieldValue = string | number | boolean | string[];

export interface FormEntry {
  value: FieldValue | null;
  source: FieldSource;
  /** Authoritative data (registry, e-licence): the applicant cannot change it. */
  locked: boolean;
}

export type DraftForm = Record<string, FormEntry>;

export interface PrefillRequest {
  fields: FormField[];
  /** The applicant's code: a USCC for an enterprise, an ID number for a person. */
  holderCode: string | null;
  /** The second party's ID number (e.g. the employee), once the applicant has named them. */
  secondPartyCode?: string | null;
  /** The licence the application is about, when the applicant holds several of the type. */
  licenseId?: string | null;
  /** Answers to the guidance questionnaire: a field named as a question takes its answer. */
  answers?: Answers;
  /** The applicant's values of their last application of this matter (fields marked `history` take them). */
  history?: Record<string, unknown>;
  /** The form so far: what the applicant typed stays. */
  current?: DraftForm;
}

export interface PrefillResult {
  form: DraftForm;
  /** Registries that failed or timed out: their fields are left for the applicant. */
  unavailable: RegistryName[];
  /** The licence the form was filled from, per licence type. */
  licenses: Record<string, string>;
}

const PLATFORM_SOURCES: readonly FieldSource[] = ['registry', 'license', 'history', 'ocr'];

/** A field the platform filled (the prefill ratio counts these). */
export const isPrefilled = (entry: FormEntry | undefined): boolean =>
  Boolean(entry) && PLATFORM_SOURCES.includes(entry!.source) && !isEmpty(entry!.value);

export const isEmpty = (value: unknown): boolean =>
  value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);

/**
 * Fills every field the platform can know (shared/API.md "Applications"): the registries and the e-licence library
 * first (locked), then the questionnaire's answers, then the applicant's last application of the matter for the fields
 * marked `history`. A registry that fails leaves its fields for the applicant: the draft is never lost.
 */
export async function prefillForm(request: PrefillRequest, registries: Registries): Promise<PrefillResult> {
  const unavailable = new Set<RegistryName>();
  // Counts failed lookups, cached ones included, so each field knows whether its own source failed.
  let failures = 0;
  const licenses: Record<string, string> = {};
  const cache = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, lookup: () => Promise<T>): Promise<T> => {
    if (!cache.has(key)) cache.set(key, lookup());
    return cache.get(key) as Promise<T>;
  };
  const ask = async <T>(key: string, lookup: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await once(key, lookup);
    } catch (error) {
      if (error instanceof RegistryUnavailable) {
        unavailable.add(error.registry);
        failures++;
        return undefined;
      }
      throw error;
    }
  };
  const codeOf = (holder: 'applicant' | 'second-party') => (holder === 'applicant' ? request.holderCode : request.secondPartyCode) ?? null;

  const licenseOf = async (typeCode: string, holder: 'applicant' | 'second-party'): Promise<License | undefined> => {
    const code = codeOf(holder);
    if (!code) return undefined;
    const held = await ask(`license:${holder}:${typeCode}`, () => registries.licenses.byHolder(code, typeCode));
    if (!held) return undefined;
    const chosen =
      (holder === 'applicant' && request.licenseId ? held.find((l) => l.id === request.licenseId) : undefined) ??
      held.find((l) => l.status === 'valid');
    if (chosen && holder === 'applicant') licenses[typeCode] = chosen.id;
    return chosen;
  };

  const form: DraftForm = {};
  for (const field of request.fields) {
    const current = request.current?.[field.key];
    const typed = current && current.source === 'applicant' && !isEmpty(current.value) ? current : undefined;
    const prefill = field.prefill;
    const failuresBefore = failures;
    let entry: FormEntry | undefined;
    if (prefill.from === 'registry') {
      const code = codeOf(prefill.holder);
      const record = code
        ? await ask<unknown>(`${prefill.registry}:${code}`, () =>
            prefill.registry === 'person' ? registries.persons.find(code) : registries.enterprises.find(code),
          )
        : undefined;
      const value = record ? valueAt(record, prefill.path) : undefined;
      if (!isEmpty(value)) entry = { value: asFieldValue(field, value), source: 'registry', locked: true };
    } else if (prefill.from === 'license') {
      const license = await licenseOf(prefill.licenseType, prefill.holder);
      const value = license ? valueAt(license, prefill.field) : undefined;
      if (!isEmpty(value)) entry = { value: asFieldValue(field, value), source: 'license', locked: true };
    }
    if (!entry) {
      const answer = request.answers?.[field.key];
      const remembered = prefill.from === 'applicant' && prefill.history ? request.history?.[field.key] : undefined;
      // A source that could not answer now leaves what it answered before.
      const keep =
        current &&
        !isEmpty(current.value) &&
        (current.source !== 'registry' && current.source !== 'license' ? true : failures > failuresBefore);
      if (typed) entry = typed;
      else if (keep) entry = current;
      else if (!isEmpty(answer) && fits(field, answer)) entry = { value: asFieldValue(field, answer), source: 'applicant', locked: false };
      else if (!isEmpty(remembered) && fits(field, remembered))
        entry = { value: asFieldValue(field, remembered), source: 'history', locked: false };
      else entry = { value: null, source: 'applicant', locked: false };
    }
    form[field.key] = entry;
  }
  return { form, unavailable: [...unavailable], licenses };
}

/** `a.b.c` of a record; undefined when any step is missing. */
function valueAt(record: unknown, path: string): unknown {
  let value: unknown = record;
  for (const step of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[step];
  }
  return value;
}

/** Whether a remembered or answered value is one the field takes (an option that still exists, a value of its type). */
function fits(field: FormField, value: unknown): boolean {
  const options = field.options?.map((o) => o.value);
  if (field.type === 'multiselect') return Array.isArray(value) && value.every((v) => !options || options.includes(String(v)));
  if (Array.isArray(value)) return false;
  if (field.type === 'select') return !options || options.includes(String(value));
  if (field.type === 'number') return typeof value === 'number' && Number.isFinite(value);
  if (field.type === 'checkbox') return typeof value === 'boolean';
  return typeof value === 'string' || typeof value === 'number';
}

function asFieldValue(field: FormField, value: unknown): FieldValue {
  if (field.type === 'multiselect') return (Array.isArray(value) ? value : [value]).map(String);
  if (field.type === 'number' && typeof value === 'number') return value;
  if (field.type === 'checkbox' && typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map(String).join('、');
  return String(value);
}

/** The fields whose authoritative value differs between two fills (the `prefill` job's `changedFields`). */
export function changedFields(before: DraftForm, after: DraftForm): string[] {
  return Object.keys(after).filter((key) => {
    const next = after[key];
    if (next.source !== 'registry' && next.source !== 'license') return false;
    return JSON.stringify(before[key]?.value ?? null) !== JSON.stringify(next.value);
  });
}
