import type { StatusChange, StatusResult } from '../server/applications/status-record';
import { isStatus } from '../server/applications/statuses';
import { complete, fail, type Worker } from './worker';

type Variables = { applicationId?: string; sandbox?: boolean };
type Headers = { status?: string; note?: string };

/**
 * `status` (shared/JOBS.md): sets the application's status from the task's `status` header and adds it to the
 * timeline. A designer's try-it instance without an application completes with nothing to do.
 */
export function statusWorker(record: (change: StatusChange) => Promise<StatusResult>): Worker<Variables, Headers> {
  return {
    type: 'status',
    async handler(job) {
      const status = job.headers.status;
      // Neither a wrong header nor a missing application heals by retrying: an incident at once.
      if (!isStatus(status))
        return fail(`status task ${job.elementId} has header status "${status ?? ''}", which is not an application status`, 0, 0);
      const applicationId = job.variables.applicationId;
      if (!applicationId) {
        return job.variables.sandbox ? complete({}) : fail(`status task ${job.elementId} ran without an applicationId variable`, 0, 0);
      }
      const result = await record({
        applicationId,
        status,
        jobKey: job.key,
        actor: `process:${job.processInstanceKey}`,
        note: job.headers.note,
      });
      if (result === 'unknown-application' && !job.variables.sandbox) return fail(`application ${applicationId} does not exist`, 0, 0);
      return complete({});
    },
  };
}
