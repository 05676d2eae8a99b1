import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type { AuditLog } from '../audit/audit-log';
import type { PlatformKey } from '../audit/platform-key';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import { FINAL_STATUSES } from '../applications/statuses';
import { specOf, type ApplicationRow, type MaterialRow } from '../applications/store';
import type { MatterCatalog } from '../matters/catalog';
import type { Storage } from '../storage';
import type { ArchiveOutcome } from '../../workers/archive';
import { buildArchivePackage, verifyArchivePackage, type ArchiveDocument, type ArchiveMaterial } from '../../workers/archive/index';
import type { KeyStore } from '../../workers/esign/index';

export interface ArchiveDeps {
  knex: Knex;
  audit: AuditLog;
  clock: Clock;
  matters: MatterCatalog;
  storage: Storage;
  platformKey: PlatformKey;
  keyStore: KeyStore;
}

const OUTCOMES = { approved: 'approved', rejected: 'rejected', withdrawn: 'withdrawn', closed: 'closed' } as const;

/**
 * The archive package of a closed case (GB/T 42727, workers/archive): the record, the form, every material and its
 * reading, the findings, the timeline, the signed documents and the case's audit rows, signed by the platform key,
 * checked for the four properties before it is kept, stored by SHA-256, once per application. A draft withdrawn
 * before submission never became a case: nothing to archive.
 */
export async function archiveCase(deps: ArchiveDeps, applicationId: string): Promise<ArchiveOutcome> {
  const row = (await deps.knex('applications').where({ id: applicationId }).first()) as ApplicationRow | undefined;
  if (!row) return { kind: 'unknown-application' };
  const existing = await deps.knex('archives').where({ application_id: applicationId }).first('id');
  if (existing) return { kind: 'archived', archiveId: existing.id };
  if (!FINAL_STATUSES.includes(row.status)) return { kind: 'not-closed', status: row.status };
  if (!row.case_number || !row.submitted_at) return { kind: 'nothing-to-archive' };

  const { matter, spec } = specOf(deps.matters, row);
  const now = deps.clock.now();
  const applicant = await deps.knex('users').where({ id: row.applicant_id }).first('display_name', 'uscc', 'id_number');
  const materialRows: MaterialRow[] = await deps
    .knex('application_materials')
    .where({ application_id: applicationId })
    .whereNull('replaced_at')
    .orderBy('material_code');
  const materials: ArchiveMaterial[] = [];
  for (const m of materialRows) {
    materials.push({
      code: m.material_code,
      name: matter.materials.find((x) => x.code === m.material_code)?.name ?? m.material_code,
      fileName: m.file_name,
      mediaType: m.media_type,
      bytes: await deps.storage.get(m.sha256),
    });
  }
  const documentRows = await deps.knex('documents').where({ application_id: applicationId }).orderBy('kind');
  const documents: ArchiveDocument[] = [];
  for (const d of documentRows) documents.push({ kind: d.kind, fileName: `${d.kind}.pdf`, bytes: await deps.storage.get(d.sha256) });
  const timeline = await deps
    .knex('application_events')
    .where({ application_id: applicationId })
    .orderBy(['at', 'id'])
    .select('at', 'kind', 'status', 'message');
  const archiveId = crypto.randomUUID();
  const closedAt = new Date(row.decided_at ?? row.updated_at ?? now);
  const built = await buildArchivePackage(
    {
      record: {
        archiveId,
        caseNumber: row.case_number,
        matter: { code: matter.codes.basic, name: matter.name },
        action: spec.name,
        department: { code: matter.department.code, name: matter.department.name },
        applicant: { name: applicant?.display_name ?? row.applicant_id, code: applicant?.uscc ?? applicant?.id_number ?? row.applicant_id },
        submittedAt: new Date(row.submitted_at).toISOString(),
        decidedAt: row.decided_at ? new Date(row.decided_at).toISOString() : null,
        closedAt: closedAt.toISOString(),
        outcome: OUTCOMES[row.status as keyof typeof OUTCOMES],
        retention: matter.retention,
        category: matter.type,
        year: closedAt.getUTCFullYear(),
        creator: matter.department.name,
      },
      form: row.form,
      materials,
      ocr: Object.fromEntries(materialRows.map((m) => [m.material_code, m.ocr ?? null])),
      findings: row.findings,
      decisions: timeline.map((e) => ({ ...e, at: new Date(e.at).toISOString() })),
      documents,
      auditExtract: await deps.audit.extract('application', applicationId),
    },
    { platformKey: deps.platformKey, createdAt: now },
  );
  const verification = await verifyArchivePackage(built.bytes, {
    platformPublicKey: deps.platformKey.publicKeyPem(),
    trustAnchors: await deps.keyStore.trustAnchors(),
  });
  if (!verification.passed) {
    const failures = Object.values(verification.properties).flatMap((p) =>
      p.failures.map((f) => `${f.property}: ${f.file ?? ''} ${f.reason}`),
    );
    throw new Error(`the archive package of ${applicationId} fails its own check: ${failures.join('; ')}`);
  }
  const stored = await deps.storage.put(built.bytes, { maxBytes: 2 * 1024 * 1024 * 1024 });
  return deps.knex.transaction(async (trx) => {
    const inserted = await trx('archives')
      .insert({
        id: archiveId,
        application_id: applicationId,
        sha256: stored.sha256,
        size: stored.size,
        retention: matter.retention,
        manifest: JSON.stringify(built.manifest),
        created_at: now,
      })
      .onConflict('application_id')
      .ignore()
      .returning('id');
    if (!inserted.length) {
      const other = await trx('archives').where({ application_id: applicationId }).first('id');
      return { kind: 'archived' as const, archiveId: other.id };
    }
    await trx('application_events').insert({
      application_id: applicationId,
      at: now,
      kind: 'archive',
      message: `已归档（档号 ${archiveId}，保管期限${matter.retention}），四性检测通过`,
      data: JSON.stringify({ archiveId, sha256: stored.sha256 }),
    });
    await deps.audit.append(
      {
        actor: 'system:archive',
        action: 'application.archived',
        entityType: 'application',
        entityId: applicationId,
        data: { archiveId, sha256: stored.sha256, files: built.manifest.files.length },
      },
      trx,
    );
    return { kind: 'archived' as const, archiveId };
  });
}

/**
 * Withdrawn cases whose archiving failed at the withdrawal (the others are archived by their process, and a failure
 * there is an incident): archived at start. Answers how many were archived now.
 */
export async function archiveMissedWithdrawals(deps: ArchiveDeps, log: Logger): Promise<number> {
  const ids: string[] = await deps
    .knex('applications as a')
    .leftJoin('archives as r', 'r.application_id', 'a.id')
    .where('a.status', 'withdrawn')
    .whereNotNull('a.case_number')
    .whereNull('r.id')
    .pluck('a.id');
  let archived = 0;
  for (const id of ids) {
    try {
      if ((await archiveCase(deps, id)).kind === 'archived') archived++;
    } catch (error) {
      log.error('withdrawn case not archived', { applicationId: id, error: String(error) });
    }
  }
  return archived;
}
