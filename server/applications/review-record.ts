import { reviewApplication, type ReviewDeps, type ReviewResult } from '../review/review';
import type { AuditLog } from '../audit/audit-log';
import type { Clock } from '../clock';
import type { ApplicationRow } from './store';

/**
 * The process's review of an application (the `review` job): the findings stored with the application, a line on
 * the timeline and the basis in the audit log (passed, table version, the points found), once per job.
 */
export async function recordReview(
  deps: ReviewDeps & { audit: AuditLog; clock: Clock },
  applicationId: string,
  jobKey: string,
): Promise<ReviewResult | 'unknown-application'> {
  const row = (await deps.knex('applications').where({ id: applicationId }).first()) as ApplicationRow | undefined;
  if (!row) return 'unknown-application';
  const now = deps.clock.now();
  const result = await reviewApplication(deps, row, now);
  await deps.knex.transaction(async (trx) => {
    const seen = await trx('application_events').where({ application_id: applicationId, job_key: jobKey }).first('id');
    if (seen) return;
    await trx('applications')
      .where({ id: applicationId })
      .update({ findings: JSON.stringify(result.findings), updated_at: now });
    const blocking = result.findings.filter((f) => f.severity === 'block');
    await trx('application_events').insert({
      application_id: applicationId,
      at: now,
      kind: 'review',
      message: blocking.length
        ? `审查要点核验：${blocking.length}项需要人工审查（${blocking.map((f) => f.message).join('；')}）`
        : `审查要点核验通过${result.findings.length ? `，${result.findings.length}项提示` : ''}（规则表第${result.tableVersion}版）`,
      data: JSON.stringify(result),
      job_key: jobKey,
    });
    await deps.audit.append(
      {
        actor: `process:${row.process_instance_key ?? ''}`,
        action: 'application.reviewed',
        entityType: 'application',
        entityId: applicationId,
        data: { passed: result.passed, tableVersion: result.tableVersion, points: result.findings.map((f) => `${f.point}:${f.severity}`) },
      },
      trx,
    );
  });
  return result;
}
