import type { Knex } from 'knex';
import type { Principal } from '../auth/principal';
import type { MatterCatalog } from '../matters/catalog';
import { isEmpty } from '../../workers/prefill/prefill-form';
import { deployedFormOf } from './deployed-form';
import { STATUS_TEXT, type ApplicationStatus } from './statuses';
import { loadApplication, materialsOf, type ApplicationRow, type MaterialRow } from './store';

const iso = (value: Date | string | null | undefined) => (value ? new Date(value).toISOString() : null);

function materialView(m: MaterialRow) {
  return {
    id: m.id,
    fileName: m.file_name,
    mediaType: m.media_type,
    size: Number(m.size),
    sha256: m.sha256,
    uploadedAt: iso(m.uploaded_at),
    ocr: m.ocr_status === 'none' ? null : { status: m.ocr_status, ...((m.ocr as object | null) ?? {}) },
  };
}

/** What an applicant (or a clerk) reads of an application: status, form, materials, findings, timeline, result. */
export async function applicationView(knex: Knex, matters: MatterCatalog, row: ApplicationRow) {
  const matter = matters.get(row.matter_slug);
  const spec = matter?.actions[row.action];
  const uploads = await materialsOf(knex, row.id);
  const events = await knex('application_events').where({ application_id: row.id }).orderBy(['at', 'id']);
  const empty = (spec?.fields ?? []).filter((f) => isEmpty(row.form[f.key]?.value));
  // Until the applicant names the second party (their ID number), what the platform holds of them cannot be looked up.
  const idField = spec?.secondParty?.idField;
  const awaits = empty
    .filter((f) => idField && isEmpty(row.form[idField]?.value) && f.prefill.from !== 'applicant' && f.prefill.holder === 'second-party')
    .map((f) => f.key);
  const toType = empty.filter((f) => !awaits.includes(f.key)).map((f) => f.key);
  // What the last return for correction asked for (一次性告知): each field or material, and why.
  const lastReturn = [...events].reverse().find((e) => e.kind === 'decision' && e.data?.decision === 'return');
  return {
    id: row.id,
    matter: row.matter_slug,
    matterName: matter?.name ?? row.matter_slug,
    action: row.action,
    actionName: spec?.name ?? row.action,
    department: row.department,
    status: row.status,
    statusText: STATUS_TEXT[row.status],
    caseNumber: row.case_number,
    resumeCode: row.resume_code,
    licenseId: row.license_id,
    situation: row.situation,
    channel: row.channel,
    answers: row.answers,
    form: row.form,
    /** The deployed form the draft was made with (id, version, schema) for channels to render; null when none is deployed. */
    deployedForm: await deployedFormOf(knex, row),
    prefill: {
      ratio: row.prefill_ratio,
      prefilledFields: row.fields_prefilled,
      totalFields: row.fields_total,
      toType,
      // Filled by the platform as soon as this field is typed, not typed themselves.
      awaiting: idField && awaits.length ? { field: idField, fills: awaits } : null,
    },
    materials: row.material_list.map((m) => {
      const current = uploads.find((u) => u.material_code === m.code && !u.replaced_at);
      return {
        ...m,
        handedIn: current ? materialView(current) : null,
        replaced: uploads.filter((u) => u.material_code === m.code && u.replaced_at).map(materialView),
      };
    }),
    exemptionRatio: row.exemption_ratio,
    findings: row.findings,
    corrections: (lastReturn?.data?.corrections ?? []) as { field?: string; material?: string; reason: string }[],
    timeline: events.map((e) => ({
      at: iso(e.at),
      kind: e.kind,
      ...(e.status ? { status: e.status as ApplicationStatus } : {}),
      message: e.message,
    })),
    result: row.result ?? null,
    processInstanceKey: row.process_instance_key ? String(row.process_instance_key) : null,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    submittedAt: iso(row.submitted_at),
    decidedAt: iso(row.decided_at),
  };
}

export type ApplicationView = Awaited<ReturnType<typeof applicationView>>;

/** The caller's own applications, newest first, optionally of one status. */
export async function listOwnApplications(knex: Knex, matters: MatterCatalog, principal: Principal, status?: string) {
  const query = knex<ApplicationRow>('applications').where({ applicant_id: principal.id }).orderBy('created_at', 'desc').limit(200);
  if (status) query.where('status', status);
  const rows = (await query) as ApplicationRow[];
  return rows.map((row) => ({
    id: row.id,
    matter: row.matter_slug,
    matterName: matters.get(row.matter_slug)?.name ?? row.matter_slug,
    action: row.action,
    status: row.status,
    statusText: STATUS_TEXT[row.status],
    caseNumber: row.case_number,
    resumeCode: row.resume_code,
    createdAt: iso(row.created_at),
    submittedAt: iso(row.submitted_at),
    decidedAt: iso(row.decided_at),
  }));
}

export async function readApplication(knex: Knex, matters: MatterCatalog, principal: Principal, id: string) {
  return applicationView(knex, matters, await loadApplication(knex, principal, id));
}
