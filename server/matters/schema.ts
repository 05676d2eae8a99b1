import { z } from 'zod';
import { checkMatterConsistency } from './consistency';

/** The lifecycle actions a matter may have (shared/JOBS.md process ids `<matter-slug>-<action>`). */
export const ACTIONS = ['apply', 'change', 'renew', 'cancel'] as const;
export type ActionId = (typeof ACTIONS)[number];

const USCC = /^[0-9A-HJ-NPQRTUWXY]{18}$/;
const text = z.string().trim().min(1);
const actionId = z.enum(ACTIONS);
const questionId = z.string().regex(/^[a-z][a-zA-Z0-9]*$/, 'a question id is camelCase ASCII');
const optionValue = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'an answer value is lower-case ASCII with hyphens');
/** GB/T 36904: the licence type code is the responsible authority's USCC and a three-digit serial. */
export const licenseTypeCode = z
  .string()
  .regex(/^[0-9A-HJ-NPQRTUWXY]{18}\d{3}$/, 'a licence type code is an 18-character USCC and 3 digits');
const dottedPath = z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*(\.[a-zA-Z][a-zA-Z0-9]*)*$/, 'a dotted path of ASCII names');
const holder = z.enum(['applicant', 'second-party']).default('applicant');
const registry = z.enum(['person', 'enterprise']);

export const timeLimitSchema = z.strictObject({
  value: z.number().int().min(1).max(365),
  unit: z.enum(['working-day', 'calendar-day']),
});

/** Answers that make a rule apply: every listed question answered with one of its values (any of them, for a multiple choice). */
const conditionSchema = z.record(questionId, z.array(optionValue).min(1));

const questionSchema = z.strictObject({
  id: questionId,
  text,
  help: text.optional(),
  actions: z.array(actionId).min(1),
  multiple: z.boolean().default(false),
  askWhen: conditionSchema.optional(),
  options: z
    .array(
      z.strictObject({
        value: optionValue,
        label: text,
        /** Choosing this answer means the matter cannot be applied for this way: the reason, in plain Chinese. */
        refuse: text.optional(),
      }),
    )
    .min(2),
});

const situationSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
  name: text,
  actions: z.array(actionId).min(1),
  when: conditionSchema.default({}),
});

const materialSourceSchema = z.discriminatedUnion('channel', [
  z.strictObject({ channel: z.literal('applicant') }),
  z.strictObject({ channel: z.literal('shared-data'), registry, dataset: text, holder }),
  z.strictObject({ channel: z.literal('e-licence'), licenseType: licenseTypeCode, holder }),
  /** Made by the platform: from the one-screen form, or from the second party's confirmation. */
  z.strictObject({ channel: z.literal('generated'), from: z.enum(['form', 'confirmation']) }),
]);

/** Pages of a PDF a material takes when its matter.json names no `pageLimit` of its own (the guide states it). */
export const DEFAULT_PDF_PAGE_LIMIT = 20;

const materialSchema = z
  .strictObject({
    code: z.string().regex(/^[A-Z]{2,6}-\d{2,3}$/, 'a material code looks like HP-01'),
    name: text,
    actions: z.array(actionId).min(1),
    requirement: z.enum(['required', 'conditional', 'optional']),
    when: conditionSchema.optional(),
    conditionText: text.optional(),
    form: z.array(z.enum(['原件', '复印件', '电子件'])).min(1),
    copies: z.number().int().min(0).max(20),
    source: materialSourceSchema,
    pageLimit: z.number().int().min(1).max(2000).optional(),
    fileTypes: z.array(z.enum(['pdf', 'jpg', 'png', 'ofd'])).min(1),
    blankForm: text.optional(),
    sample: text.optional(),
    acceptanceStandard: text,
    /** What OCR reads from it: the document type, and which form field each read field fills and is checked against. */
    ocr: z
      .strictObject({
        documentType: z.enum(['id-card-front', 'business-licence', 'issued-licence', 'road-transport-qualification']),
        fields: z.record(z.string().regex(/^[a-z][a-zA-Z0-9]*$/), z.string().regex(/^[a-z][a-zA-Z0-9]*$/)),
      })
      .optional(),
  })
  // Every material that takes a PDF has a page limit: a 300-page file is refused before it is stored.
  .transform((m) => (m.fileTypes.includes('pdf') ? { ...m, pageLimit: m.pageLimit ?? DEFAULT_PDF_PAGE_LIMIT } : m));

const reviewPointSchema = z.strictObject({
  id: z.string().regex(/^[A-Z]{2,6}-R\d{2}$/, 'a review point id looks like HP-R01'),
  text,
  severity: z.enum(['block', 'warn']),
  hint: text,
  actions: z.array(actionId).min(1),
});

const prefillSchema = z.discriminatedUnion('from', [
  z.strictObject({ from: z.literal('registry'), registry, path: dottedPath, holder }),
  z.strictObject({ from: z.literal('license'), licenseType: licenseTypeCode, field: dottedPath, holder }),
  /** Typed by the applicant; `history`: offered again from their last application of the matter (contacts, not one-off facts). */
  z.strictObject({ from: z.literal('applicant'), history: z.boolean().default(false) }),
]);

const fieldSchema = z.strictObject({
  key: z.string().regex(/^[a-z][a-zA-Z0-9]*$/, 'a field key is camelCase ASCII'),
  label: text,
  type: z.enum(['text', 'textarea', 'number', 'date', 'select', 'multiselect', 'checkbox', 'phone', 'id-number', 'uscc', 'email']),
  required: z.boolean(),
  options: z
    .array(z.strictObject({ value: optionValue, label: text }))
    .min(2)
    .optional(),
  /** The official forms (申请表, 承诺书…) that print this field: asked once on the screen, printed on each. */
  forms: z.array(z.string()).min(1),
  prefill: prefillSchema,
});

const actionSchema = z.strictObject({
  name: text,
  legalTimeLimit: timeLimitSchema,
  promisedTimeLimit: timeLimitSchema,
  /** A clean case (every blocking review point passed) is decided without a person. */
  autoApproval: z.boolean(),
  visits: z.number().int().min(0).max(5),
  suspensionAllowed: z.boolean(),
  extension: z.strictObject({ allowed: z.boolean(), maxDays: z.number().int().min(1).max(60).optional(), basis: text.optional() }),
  /** A valid licence of this type held by the applicant is needed (change, renew, cancel, reissue…). */
  requiredLicense: z.strictObject({ licenseType: licenseTypeCode, purpose: text }).optional(),
  renewalWindow: z.strictObject({ opensBefore: timeLimitSchema, closesBefore: timeLimitSchema, basis: text }).optional(),
  /** `idField`: the form field (type id-number) that names the second party; their registry data and licences prefill from it. */
  secondParty: z
    .strictObject({ role: text, confirmWithin: timeLimitSchema, how: text, idField: z.string().regex(/^[a-z][a-zA-Z0-9]*$/) })
    .optional(),
  /**
   * The licence an approval issues: a new one (`issue`), a new version that supersedes the held one with the form's
   * changes (`replace`), a new version for a new term (`extend`), or the held one revoked (`revoke`). `data` maps the
   * licence's own fields (GB/T 36903 `data`) to form fields; `holder` is whose licence it is.
   */
  issues: z
    .strictObject({
      licenseType: licenseTypeCode,
      operation: z.enum(['issue', 'replace', 'extend', 'revoke']),
      validYears: z.number().int().min(1).max(30).optional(),
      holder,
      data: z.record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/), z.string().regex(/^[a-z][a-zA-Z0-9]*$/)).default({}),
    })
    .optional(),
  officialForms: z.array(z.strictObject({ id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/), name: text })).min(1),
  fields: z.array(fieldSchema).min(1),
});

const matterObject = z.strictObject({
  slug: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
  name: text,
  codes: z.strictObject({
    basic: z.string().regex(/^\d{12}$/, '基本编码 has 12 digits'),
    implementation: z
      .string()
      .regex(/^[0-9A-HJ-NPQRTUWXY]{18}[1-6]\d{12}$/, '实施编码 is the department USCC, the level digit and the 基本编码'),
  }),
  type: z.enum([
    '行政许可',
    '行政处罚',
    '行政强制',
    '行政征收',
    '行政给付',
    '行政检查',
    '行政确认',
    '行政奖励',
    '行政裁决',
    '其他行政权力',
    '公共服务',
  ]),
  department: z.strictObject({
    id: z.string().regex(/^[a-z]+$/, 'the department id is its candidate group'),
    name: text,
    code: z.string().regex(USCC, 'the department code is its unified social credit code'),
  }),
  legalBasis: z
    .array(z.strictObject({ name: z.string().regex(/^《.+》/, 'a law is named in 《》'), article: text.optional(), summary: text }))
    .min(1),
  conditions: z.array(text).min(1),
  process: z.array(text).min(1),
  serviceObjects: z.array(z.enum(['自然人', '企业法人', '非法人企业', '个体工商户', '事业单位法人', '社会组织法人', '其他组织'])).min(1),
  onlineDepth: z.strictObject({ level: z.number().int().min(1).max(4), text }),
  fee: z.strictObject({ charged: z.boolean(), standard: text.optional(), basis: text }),
  result: text,
  /** 保管期限 of the case's archive package (GB/T 42727): 永久 or a number of years. */
  retention: z
    .string()
    .regex(/^(永久|\d{1,3}年)$/, 'a retention term is 永久 or N年')
    .default('30年'),
  licenseTypes: z.array(z.strictObject({ code: licenseTypeCode, name: text, issuer: text })),
  actions: z.partialRecord(actionId, actionSchema),
  questions: z.array(questionSchema),
  situations: z.array(situationSchema).min(1),
  materials: z.array(materialSchema).min(1),
  reviewPoints: z.array(reviewPointSchema).min(1),
});

export type Matter = z.infer<typeof matterObject>;

/** A matter.json: each part by its schema, then the references between parts (consistency.ts). */
export const matterSchema = matterObject.superRefine(checkMatterConsistency);
export type MatterAction = z.infer<typeof actionSchema>;
export type Question = z.infer<typeof questionSchema>;
export type Situation = z.infer<typeof situationSchema>;
export type Material = z.infer<typeof materialSchema>;
export type FormField = z.infer<typeof fieldSchema>;
export type TimeLimitSpec = z.infer<typeof timeLimitSchema>;
export type Condition = z.infer<typeof conditionSchema>;
export type Answers = Record<string, string | string[]>;
