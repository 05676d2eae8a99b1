import type { StatusChange, StatusResult } from '../server/applications/status-record';
import { isStatus } from '../server/applications/statuses';
import { complete, fail, type Worker } from './worker';

type Variables = {
  applicationId?: string;
  sandbox?: boolean;
  review?: { passed?: boolean; tableVersion?: number | null; findings?: { point: string; severity: string }[] };
  decision?: string;
  chiefDecision?: string;
};
type Headers = { status?: string; note?: string };

/**
 * `status` (shared/JOBS.md): sets the application's status from the task's `status` header and adds it to the
 * timeline. A designer's try-it (sandbox) instance completes with nothing done, whatever applicationId it carries.
 */
export function statusWorker(record: (change: StatusChange) => Promise<StatusResult>): Worker<Variables, Headers> {
  return {
    type: 'status',
    async handler(job) {
      const status = job.headers.status;
      // Neither a wrong header nor a missing application heals by retrying: an incident at once.
      if (!isStatus(status))
        return fail(`status task ${job.elementId} has header status "${status ?? ''}", which is not an application status`, 0, 0);
      // A try-it may carry a real application's id: its status is the real process's alone.
      if (job.variables.sandbox) return complete({});
      const applicationId = job.variables.applicationId;
      if (!applicationId) return fail(`status task ${job.elementId} ran without an applicationId variable`, 0, 0);
      const result = await record({
        applicationId,
        status,
        jobKey: job.key,
        actor: `process:${job.processInstanceKey}`,
        note: job.headers.note,
        basis: status === 'approved' || status === 'rejected' ? decisionBasis(status, job.variables) : undefined,
      });
      if (result === 'unknown-application') return fail(`application ${applicationId} does not exist`, 0, 0);
      return complete({});
    },
  };
}

/** What an approval or rejection rests on: the review and its table version, and the clerk's and chief's decisions if any. */
function decisionBasis(status: 'approved' | 'rejected', variables: Variables): Record<string, unknown> {
  const review = variables.review;
  return {
    // Only an approval is ever automatic; one after an acceptance or a return and correction still is, when no one approved it.
    automatic: status === 'approved' && variables.decision !== 'approve',
    ...(review
      ? {
          review: {
            passed: review.passed,
            tableVersion: review.tableVersion ?? null,
            points: (review.findings ?? []).map((f) => `${f.point}:${f.severity}`),
          },
        }
      : {}),
    ...(variables.decision !== undefined ? { decision: variables.decision } : {}),
    ...(variables.chiefDecision !== undefined ? { chiefDecision: variables.chiefDecision } : {}),
  };
}
