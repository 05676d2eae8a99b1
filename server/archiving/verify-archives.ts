import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type { PlatformKey } from '../audit/platform-key';
import { AppError } from '../errors';
import type { Storage } from '../storage';
import { VerifyPool } from '../../workers/archive/index';
import type { KeyStore } from '../../workers/esign/index';

export interface ArchiveFailure {
  archiveId: string;
  applicationId: string;
  property: string;
  file?: string;
  reason: string;
}

export interface ArchivesVerification {
  checked: number;
  passed: number;
  failures: ArchiveFailure[];
}

/**
 * The four-property check (四性检测) of the kept archive packages, all or one application's: each package read back
 * from storage, its bytes against the recorded SHA-256, then verified on worker threads. Each failure names the
 * package, the property, the file and the reason.
 */
export async function verifyArchives(
  deps: { knex: Knex; storage: Storage; platformKey: PlatformKey; keyStore: KeyStore },
  applicationId?: string,
): Promise<ArchivesVerification> {
  const query = deps.knex('archives').orderBy('created_at').select('id', 'application_id', 'sha256');
  if (applicationId) query.where({ application_id: applicationId });
  const rows: { id: string; application_id: string; sha256: string }[] = await query;
  if (applicationId && !rows.length) throw new AppError(404, 'NOT_FOUND', `申请 ${applicationId} 没有归档包`);
  const pool = new VerifyPool({ platformPublicKey: deps.platformKey.publicKeyPem(), trustAnchors: await deps.keyStore.trustAnchors() });
  const failures: ArchiveFailure[] = [];
  let passed = 0;
  try {
    await Promise.all(
      rows.map(async (row) => {
        const of = { archiveId: row.id, applicationId: row.application_id };
        const bytes = await deps.storage.get(row.sha256).catch(() => undefined);
        if (!bytes) {
          failures.push({ ...of, property: 'integrity', reason: 'the package is missing from storage (归档包缺失)' });
          return;
        }
        if (crypto.createHash('sha256').update(bytes).digest('hex') !== row.sha256) {
          failures.push({ ...of, property: 'authenticity', reason: 'the stored package is not the one recorded (SHA-256 differs)' });
          return;
        }
        const report = await pool.verify(bytes);
        if (report.passed) passed++;
        for (const property of Object.values(report.properties))
          for (const f of property.failures)
            failures.push({ ...of, property: f.property, ...(f.file ? { file: f.file } : {}), reason: f.reason });
      }),
    );
  } finally {
    await pool.close();
  }
  return { checked: rows.length, passed, failures };
}
