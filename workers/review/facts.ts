import { licenseIdentifier, residentId, uscc } from '../../server/identifiers';
import { isLocalDate, dayNumber, type LocalDate } from '../../server/calendar/local-date';
import type { ActionId, FormField, Matter, MatterAction } from '../../server/matters/schema';
import type { Enterprise, License, Person } from '../../server/registries';
import { LICENSE_TYPES } from '../../server/registries/license-types';
import { areaProblem, isArea, MOBILE_OR_LANDLINE } from './formats';
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
  /**
   * The application is a draft (the applicant's self-check): the second party is asked only once it is submitted,
   * and a material's reading may still be on its way.
   */
  draft?: boolean;
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
  /** The licence number the library records, and whether the form's (the field that names it) is that one (null: not both known). */
  number: string | null;
  numberMatches: boolean | null;
  /** The e-licence identifier the library records passes the GB/T 36904 check (null: no licence). */
  identifierValid: boolean | null;
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
  /** Areas (number fields in square metres) that are not a positive number of at most 2 decimals within AREA_LIMIT (formats.ts). */
  invalidAreas: string[];
  invalidAreasText: string;
  ocrMismatches: string[];
  ocrMismatchesText: string;
  /** Materials OCR is to read for the identity and licence checks that gave nothing to check (failed, no text, a scan without text). */
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
    /** `after-submission` on a draft: the second party is asked once the application is submitted. */
    confirmation: 'accepted' | 'declined' | 'awaiting' | 'after-submission';
    license: LicenseFacts;
  } | null;
}

const plain = (form: DraftForm) => Object.fromEntries(Object.entries(form).map(([k, e]) => [k, e?.value ?? null]));
const normalized = (value: unknown) =>
  String(value ?? '')
    .normalize('NFKC')
    .replace(/[\s（）()]/g, '')
    .toUpperCase();

function licenseFacts(
  required: boolean,
  lookup: Lookup<License>,
  holderCode: string | null,
  today: LocalDate,
  formNumber: unknown,
): LicenseFacts {
  const license = lookup === 'unavailable' ? undefined : lookup;
  const stated = formNumber === null || formNumber === undefined || formNumber === '' ? null : normalized(formNumber);
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
    number: license?.number ?? null,
    numberMatches: license && stated !== null ? normalized(license.number) === stated : null,
    identifierValid: license ? licenseIdentifier.validate(license.identifier).valid : null,
  };
}

/** The form field that states the number of a licence: the applicant's own, or the second party's. */
const numberField = (spec: MatterAction, holder: 'applicant' | 'second-party') =>
  spec.fields.find((f) => f.prefill.from === 'license' && f.prefill.field === 'number' && f.prefill.holder === holder)?.key;

/** The facts of one application, computed in full each time (the review is re-run after corrections). */
export function reviewFacts(input: ReviewInput): ReviewFacts {
  const spec: MatterAction = input.matter.actions[input.action]!;
  const label = (key: string) => spec.fields.find((f) => f.key === key)?.label ?? key;
  const materialName = (code: string) => input.matter.materials.find((m) => m.code === code)?.name ?? code;
  const form = plain(input.form);
  const filled = (key: string) => form[key] !== null && form[key] !== '' && form[key] !== undefined;

  const ownNumberKey = numberField(spec, 'applicant');
  const qualificationNumberKey = numberField(spec, 'second-party');
  // A road transport qualification certificate is numbered by its holder's resident ID number (道路运输从业人员管理规定).
  const isQualificationNumber = (f: FormField) =>
    f.key === qualificationNumberKey && f.prefill.from === 'license' && f.prefill.licenseType === LICENSE_TYPES.transportQualification.code;
  const invalidIdentifiers = spec.fields
    .filter((f) => (f.type === 'id-number' || f.type === 'uscc' || isQualificationNumber(f)) && filled(f.key))
    .filter((f) => !(f.type === 'uscc' ? uscc.validate(String(form[f.key])) : residentId.validate(String(form[f.key]))).valid)
    .map((f) => f.key);
  const invalidPhones = spec.fields
    .filter((f) => f.type === 'phone' && filled(f.key) && !MOBILE_OR_LANDLINE.test(String(form[f.key])))
    .map((f) => f.key);
  const invalidDates = spec.fields.filter((f) => f.type === 'date' && filled(f.key) && !isLocalDate(String(form[f.key]))).map((f) => f.key);
  const invalidAreas = spec.fields
    .filter((f) => isArea(f) && filled(f.key))
    .map((f) => ({ key: f.key, problem: areaProblem(form[f.key]) }))
    .filter((a): a is { key: string; problem: string } => a.problem !== undefined);

  const mismatches: { field: string; text: string }[] = [];
  const unreadable: string[] = [];
  for (const handed of input.handedIn) {
    const material = input.matter.materials.find((m) => m.code === handed.code);
    if (!material?.ocr) continue;
    // A reading still on its way is unread only once the application is submitted (the ocr task has read every material).
    const unread = handed.ocrStatus === 'failed' || (!input.draft && (handed.ocrStatus === 'pending' || handed.ocrStatus === 'none'));
    if (unread || (handed.ocrStatus === 'done' && !Object.keys(handed.fields).length)) {
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
      confirmation:
        input.confirmed === true ? 'accepted' : input.confirmed === false ? 'declined' : input.draft ? 'after-submission' : 'awaiting',
      license: licenseFacts(
        true,
        input.secondParty.license,
        filled(idKey) ? String(form[idKey]) : null,
        input.today,
        qualificationNumberKey ? form[qualificationNumberKey] : null,
      ),
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
    invalidDatesText: invalidDates.map((k) => `${label(k)}“${form[k]}”`).join('、'),
    invalidAreas: invalidAreas.map((a) => a.key),
    invalidAreasText: invalidAreas.map((a) => `${label(a.key)}“${form[a.key]}”${a.problem}`).join('；'),
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
    license: licenseFacts(
      Boolean(spec.requiredLicense),
      input.license,
      input.holderCode,
      input.today,
      ownNumberKey ? form[ownNumberKey] : null,
    ),
    secondParty,
  };
}
