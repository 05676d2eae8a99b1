import type { Knex } from 'knex';
import type { AuditLog } from '../audit/audit-log';
import type { Principal } from '../auth/principal';
import type { Clock } from '../clock';
import type { EnginePort } from '../engine/port';
import { AppError } from '../errors';
import type { Logger } from '../log';
import type { MatterCatalog } from '../matters/catalog';
import type { ActionId, Matter, MatterAction } from '../matters/schema';
import type { EligibilitySources, ExemptionSources } from '../matters/sources';
import type { Registries } from '../registries';
import type { ReviewTables } from '../review/review-table';
import type { MaterialReader } from './material-reading';
import type { ArchiveCase } from '../../workers/archive';
import type { Storage } from '../storage';
import type { DraftForm } from '../../workers/prefill/prefill-form';
import type { ApplicationStatus } from './statuses';

/** What the application services take from the platform. */
export interface ApplicationDeps {
  knex: Knex;
  audit: AuditLog;
  clock: Clock;
  log: Logger;
  matters: MatterCatalog;
  registries: Registries;
  exemptions: ExemptionSources;
  eligibility: EligibilitySources;
  engine: EnginePort;
  storage: Storage;
  reviewTables: ReviewTables;
  reader: MaterialReader;
  /** Archives a closed case (once); a withdrawal calls it, the process's `archive` task the rest. */
  archive: ArchiveCase;
}

/** A material of the list guidance settled when the draft was made. */
export interface ListedMaterial {
  code: string;
  name: string;
  required: boolean;
  exemptBecause?: string;
  channel: 'applicant' | 'shared-data' | 'e-licence' | 'generated';
  fileTypes: string[];
}

export interface ApplicationRow {
  id: string;
  matter_slug: string;
  action: ActionId;
  department: string;
  applicant_id: string;
  status: ApplicationStatus;
  case_number: string | null;
  resume_code: string;
  license_id: string | null;
  answers: Record<string, string | string[]>;
  form: DraftForm;
  findings: unknown[];
  process_instance_key: string | null;
  sandbox: boolean;
  situation: string | null;
  material_list: ListedMaterial[];
  submit_key: string | null;
  channel: string;
  created_by: string | null;
  prefill_ratio: number | null;
  exemption_ratio: number | null;
  fields_total: number | null;
  fields_prefilled: number | null;
  /** The deployed applicant form the draft was made with (`deployed-form.ts`); null when none was deployed. */
  form_id: string | null;
  form_version: number | null;
  result: unknown;
  created_at: Date;
  updated_at: Date;
  submitted_at: Date | null;
  decided_at: Date | null;
}

export interface MaterialRow {
  id: string;
  application_id: string;
  material_code: string;
  file_name: string;
  media_type: string;
  size: string | number;
  sha256: string;
  uploaded_by: string;
  uploaded_at: Date;
  replaced_at: Date | null;
  ocr_status: 'none' | 'pending' | 'done' | 'failed';
  ocr: unknown;
  /** Readings tried (done or failed); a failure that may pass is tried again until MAX_READ_ATTEMPTS. */
  ocr_attempts: number;
  ocr_read_at: Date | null;
}

/** The application's matter and action spec; a matter file removed since the draft was made is a server fault. */
export function specOf(
  matters: MatterCatalog,
  row: Pick<ApplicationRow, 'matter_slug' | 'action'>,
): { matter: Matter; spec: MatterAction } {
  const matter = matters.get(row.matter_slug);
  const spec = matter?.actions[row.action];
  if (!matter || !spec) throw new Error(`application of ${row.matter_slug} ${row.action}, which the catalog no longer has`);
  return { matter, spec };
}

const STAFF_ROLES = ['clerk', 'approver'];

/**
 * Who may see an application: its applicant; a clerk or approver of its department; an administrator. Everyone else
 * is told it does not exist (404, not 403: an id is not confirmed to anyone who may not see it).
 */
export function maySee(principal: Principal, row: Pick<ApplicationRow, 'applicant_id' | 'department'>): boolean {
  if (row.applicant_id === principal.id) return true;
  if (principal.roles.includes('admin')) return true;
  return principal.roles.some((r) => STAFF_ROLES.includes(r)) && principal.department === row.department;
}

export const noSuchApplication = (id: string) => new AppError(404, 'NOT_FOUND', `没有这件申请：${id} (no such application)`);

/** The application, if the caller may see it; inside a transaction with `forUpdate` to change it. */
export async function loadApplication(
  knex: Knex | Knex.Transaction,
  principal: Principal,
  id: string,
  options: { forUpdate?: boolean; ownerOnly?: boolean } = {},
): Promise<ApplicationRow> {
  const query = knex<ApplicationRow>('applications').where({ id });
  const row = (await (options.forUpdate ? query.forUpdate() : query).first()) as ApplicationRow | undefined;
  if (!row || !maySee(principal, row)) throw noSuchApplication(id);
  // Staff (an administrator too) may read it, not act as the applicant: only the counter clerk serving it may.
  if (options.ownerOnly && row.applicant_id !== principal.id && !servesAtCounter(principal, row)) {
    throw new AppError(403, 'FORBIDDEN', '只有申请人本人或为其窗口代办的工作人员可以办理此操作 (only the applicant may do this)');
  }
  return row;
}

/**
 * The clerk of the application's department who serves it at the counter on the applicant's behalf: the one who made
 * it there, or who took an online draft over by its one code (`GET /resume/{code}`).
 */
export const servesAtCounter = (principal: Principal, row: Pick<ApplicationRow, 'created_by' | 'department'>): boolean =>
  row.created_by === principal.id && principal.roles.includes('clerk') && principal.department === row.department;

/** The materials handed in, the current one of each code first. */
export async function materialsOf(knex: Knex | Knex.Transaction, applicationId: string): Promise<MaterialRow[]> {
  return knex<MaterialRow>('application_materials').where({ application_id: applicationId }).orderBy('uploaded_at', 'desc');
}

/** Adds a line to the application's timeline. */
export async function addEvent(
  trx: Knex | Knex.Transaction,
  at: Date,
  applicationId: string,
  event: { kind: string; message: string; status?: ApplicationStatus; data?: Record<string, unknown> },
): Promise<void> {
  await trx('application_events').insert({
    application_id: applicationId,
    at,
    kind: event.kind,
    status: event.status ?? null,
    message: event.message,
    data: JSON.stringify(event.data ?? {}),
  });
}
