import { residentId, uscc } from '../../server/identifiers';
import { isLocalDate, dayNumber, type LocalDate } from '../../server/calendar/local-date';
import type { ActionId, Matter, MatterAction } from '../../server/matters/schema';
import type { Enterprise, License, Person } from '../../server/registries';
import type { DraftForm } from '../prefill/prefill-form';

/** A field OCR read from a material: its value and how sure the reading is (0..1). */
export interface ReadField {
  value: string;
  confidence: number;
}

/** A material handed in (the current one of its code), with what OCR read of it. */
export interface HandedInMaterial {
  code: string;
  ocrStatus: 'none' | 'pending' | 'done' | 'failed';
  fields: Record<string, ReadField>;
}

export interface ListedMaterialFacts {
  code: string;
  name: string;
  required: boolean;
  exemptBecause?: string;
  channel: string;
}

/** A registry answer: the record, none, or no answer at all (the lookup failed). */
export type Lookup<T> = T | undefined | 'unavailable';

/** Everything the review facts are computed from, loaded by the caller (server/review). */
export interface ReviewInput {
  matter: Matter;
  action: ActionId;
  situation: string | null;
  answers: Record<string, string | string[]>;
  form: DraftForm;
  materialList: ListedMaterialFacts[];
  handedIn: HandedInMaterial[];
  /** The applicant's registry code: USCC of an enterprise, ID number of a person. */
  holderCode: string | null;
  enterprise: Lookup<Enterprise>;
  /** The licence the application is about (the action's required licence), by the application's licenseId. */
  license: Lookup<License>;
  secondParty: { person: Lookup<Person>; license: Lookup<License> } | null;
  /** The second party's answer, when the action has one: true, false, or null while none came. */
  confirmed: boolean | null;
  today: LocalDate;
}

export interface LicenseFacts {
  required: boolean;
  checked: boolean;
  found: boolean;
  valid: boolean;
  expired: boolean;
  heldByApplicant: boolean;
  status: string | null;
  validUntil: string | null;
  daysLeft: number | null;
}

/**
 * The facts the review table's rules read (FEEL over `facts`): plain values, flags and lists, each list with a
 * ready-made Chinese text for the finding's message. Lists name form field keys or material codes.
 */
export interface ReviewFacts {
  matter: string;
  action: ActionId;
  situation: string | null;
  today: LocalDate;
  answers: Record<string, string | string[]>;
  /** The form's values by field key (null when empty). */
  form: Record<string, unknown>;
  invalidIdentifiers: string[];
  invalidIdentifiersText: string;
  invalidPhones: string[];
  invalidPhonesText: string;
  invalidDates: string[];
  invalidDatesText: string;
  ocrMismatches: string[];
  ocrMismatchesText: string;
  unreadableMaterials: string[];
  unreadableMaterialsText: string;
  missingMaterials: string[];
  missingMaterialsText: string;
  /** Registries that could not answer: the rules that need them cannot pass. */
  unavailable: string[];
  enterprise: {
    checked: boolean;
    found: boolean;
    active: boolean;
    status: string | null;
    name: string | null;
    nameMatches: boolean | null;
    representativeMatches: boolean | null;
    businessScope: string | null;
  };
  license: LicenseFacts;
  secondParty: {
    named: boolean;
    checked: boolean;
    found: boolean;
    nameMatches: boolean | null;
    confirmed: boolean | null;
    license: LicenseFacts;
  } | null;
}

const MOBILE_OR_LANDLINE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$/;

const plain = (form: DraftForm) => Object.fromEntries(Object.entries(form).map(([k, e]) => [k, e?.value ?? null]));
const normalized = (value: unknown) =>
  String(value ?? '')
    .normalize('NFKC')
    .replace(/[\s（）()]/g, '')
    .toUpperCase();

function licenseFacts(required: boolean, lookup: Lookup<License>, holderCode: string | null, today: LocalDate): LicenseFacts {
  const license = lookup === 'unavailable' ? undefined : lookup;
  const until = license?.validUntil ?? null;
  const expired = Boolean(license && (license.status === 'expired' || (until !== null && until < today)));
  return {
    required,
    checked: lookup !== 'unavailable',
    found: Boolean(license),
    valid: Boolean(license && license.status === 'valid' && !expired),
    expired,
    heldByApplicant: Boolean(license && holderCode !== null && license.holderCode === holderCode),
    status: license?.status ?? null,
    validUntil: until,
    daysLeft: until && isLocalDate(until) ? dayNumber(until) - dayNumber(today) : null,
  };
}

/** The facts of one application, computed in full each time (the review is re-run after corrections). */
export function reviewFacts(input: ReviewInput): ReviewFacts {
  const spec: MatterAction = input.matter.actions[input.action]!;
  const label = (key: string) => spec.fields.find((f) => f.key === key)?.label ?? key;
  const materialName = (code: string) => input.matter.materials.find((m) => m.code === code)?.name ?? code;
  const form = plain(input.form);
  const filled = (key: string) => form[key] !== null && form[key] !== '' && form[key] !== undefined;

  const invalidIdentifiers = spec.fields
    .filter((f) => (f.type === 'id-number' || f.type === 'uscc') && filled(f.key))
    .filter((f) => !(f.type === 'id-number' ? residentId.validate(String(form[f.key])) : uscc.validate(String(form[f.key]))).valid)
    .map((f) => f.key);
  const invalidPhones = spec.fields
    .filter((f) => f.type === 'phone' && filled(f.key) && !MOBILE_OR_LANDLINE.test(String(form[f.key])))
    .map((f) => f.key);
  const invalidDates = spec.fields.filter((f) => f.type === 'date' && filled(f.key) && !isLocalDate(String(form[f.key]))).map((f) => f.key);

  const mismatches: { field: string; text: string }[] = [];
  const unreadable: string[] = [];
  for (const handed of input.handedIn) {
    const material = input.matter.materials.find((m) => m.code === handed.code);
    if (!material?.ocr) continue;
    if (handed.ocrStatus === 'failed' || (handed.ocrStatus === 'done' && !Object.keys(handed.fields).length)) {
      unreadable.push(handed.code);
      continue;
    }
    if (handed.ocrStatus !== 'done') continue;
    for (const [readKey, formKey] of Object.entries(material.ocr.fields)) {
      const read = handed.fields[readKey];
      if (!read || !filled(formKey)) continue;
      if (normalized(read.value) !== normalized(form[formKey]))
        mismatches.push({ field: formKey, text: `${label(formKey)}：申请表为“${form[formKey]}”，${material.name}识别为“${read.value}”` });
    }
  }
  const handedInCodes = new Set(input.handedIn.map((m) => m.code));
  const missing = input.materialList
    .filter((m) => m.required && !m.exemptBecause && m.channel !== 'generated' && !handedInCodes.has(m.code))
    .map((m) => m.code);

  const unavailable: string[] = [];
  if (input.enterprise === 'unavailable') unavailable.push('enterprises');
  if (input.license === 'unavailable') unavailable.push('licenses');
  const enterprise = input.enterprise === 'unavailable' ? undefined : input.enterprise;
  const nameKey = ['unitName', 'employerName'].find((k) => spec.fields.some((f) => f.key === k));
  const representativeKey = spec.fields.some((f) => f.key === 'legalRepresentative') ? 'legalRepresentative' : undefined;

  let secondParty: ReviewFacts['secondParty'] = null;
  if (spec.secondParty && input.secondParty) {
    const idKey = spec.secondParty.idField;
    const nameOf = idKey.replace(/IdNumber$/, 'Name');
    const person = input.secondParty.person === 'unavailable' ? undefined : input.secondParty.person;
    if (input.secondParty.person === 'unavailable') unavailable.push('persons');
    secondParty = {
      named: filled(idKey),
      checked: input.secondParty.person !== 'unavailable',
      found: Boolean(person),
      nameMatches: person && filled(nameOf) ? normalized(person.name) === normalized(form[nameOf]) : null,
      confirmed: input.confirmed,
      license: licenseFacts(true, input.secondParty.license, filled(idKey) ? String(form[idKey]) : null, input.today),
    };
  }

  const texts = (keys: string[], name: (k: string) => string) => keys.map(name).join('、');
  return {
    matter: input.matter.slug,
    action: input.action,
    situation: input.situation,
    today: input.today,
    answers: input.answers,
    form,
    invalidIdentifiers,
    invalidIdentifiersText: texts(invalidIdentifiers, label),
    invalidPhones,
    invalidPhonesText: texts(invalidPhones, label),
    invalidDates,
    invalidDatesText: texts(invalidDates, label),
    ocrMismatches: [...new Set(mismatches.map((m) => m.field))],
    ocrMismatchesText: mismatches.map((m) => m.text).join('；'),
    unreadableMaterials: unreadable,
    unreadableMaterialsText: texts(unreadable, materialName),
    missingMaterials: missing,
    missingMaterialsText: texts(missing, materialName),
    unavailable,
    enterprise: {
      checked: input.enterprise !== 'unavailable',
      found: Boolean(enterprise),
      active: enterprise?.status === 'active',
      status: enterprise?.status ?? null,
      name: enterprise?.name ?? null,
      nameMatches: enterprise && nameKey && filled(nameKey) ? normalized(enterprise.name) === normalized(form[nameKey]) : null,
      representativeMatches:
        enterprise && representativeKey && filled(representativeKey)
          ? normalized(enterprise.legalRepresentative.name) === normalized(form[representativeKey])
          : null,
      businessScope: enterprise?.businessScope ?? null,
    },
    license: licenseFacts(Boolean(spec.requiredLicense), input.license, input.holderCode, input.today),
    secondParty,
  };
}
