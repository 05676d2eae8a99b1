import type { Knex } from 'knex';
import type { AuditLog } from '../audit/audit-log';
import type { Clock } from '../clock';
import { FINAL_STATUSES, STATUS_TEXT, type ApplicationStatus } from './statuses';

export interface StatusChange {
  applicationId: string;
  status: ApplicationStatus;
  /** Who set it: a job key for the process, a user id for a person. */
  jobKey?: string;
  actor: string;
  note?: string;
  /** What a decision rests on (the review result and table version, a clerk's decision), for the audit log. */
  basis?: Record<string, unknown>;
}

export type StatusResult = 'changed' | 'unchanged' | 'unknown-application' | 'final';

/**
 * Sets an application's status with its timeline event and audit row, in one transaction. A job that runs twice
 * records once; a decided, withdrawn or closed application is never moved again.
 */
export async function recordStatus(knex: Knex, audit: AuditLog, clock: Clock, change: StatusChange): Promise<StatusResult> {
  return knex.transaction(async (trx) => {
    const application = await trx('applications').where({ id: change.applicationId }).forUpdate().first('id', 'status');
    if (!application) return 'unknown-application';
    if (change.jobKey) {
      const seen = await trx('application_events').where({ application_id: change.applicationId, job_key: change.jobKey }).first('id');
      if (seen) return 'unchanged';
    }
    if (FINAL_STATUSES.includes(application.status) && application.status !== change.status) return 'final';
    const now = clock.now();
    const decided = change.status === 'approved' || change.status === 'rejected';
    await trx('applications')
      .where({ id: change.applicationId })
      .update({ status: change.status, updated_at: now, ...(decided ? { decided_at: now } : {}) });
    await trx('application_events').insert({
      application_id: change.applicationId,
      at: now,
      kind: 'status',
      status: change.status,
      message: change.note ? `${STATUS_TEXT[change.status]}：${change.note}` : STATUS_TEXT[change.status],
      job_key: change.jobKey ?? null,
    });
    await audit.append(
      {
        actor: change.actor,
        action: decided ? 'application.decided' : 'application.status',
        entityType: 'application',
        entityId: change.applicationId,
        data: {
          from: application.status,
          to: change.status,
          ...(change.jobKey ? { jobKey: change.jobKey } : {}),
          ...(change.basis ? { basis: change.basis } : {}),
        },
      },
      trx,
    );
    return 'changed';
  });
}
