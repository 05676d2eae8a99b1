import type { DeadlineSet } from '../server/applications/deadline-record';
import type { Clock } from '../server/clock';
import type { MatterCatalog } from '../server/matters/catalog';
import { dueDateForJob } from './deadline-due';
import { complete, fail, type Worker } from './worker';

/**
 * `deadline` (shared/JOBS.md): the due date of the case in working days by the holiday calendar, with the clock
 * stopped for the pauses so far and the extensions granted, and the moment to warn (80% of the time). Recomputed in
 * full on every call, so a BPMN that calls it again after a pause or an extension gets the new dates.
 */
export function deadlineWorker(deps: {
  matters: MatterCatalog;
  clock: Clock;
  /** Keeps the case's due date (its timeline); not for a designer's try-it. */
  record?: (deadline: DeadlineSet) => Promise<void>;
}): Worker {
  return {
    type: 'deadline',
    async handler(job) {
      const result = dueDateForJob(job.variables, job.headers, deps.matters, deps.clock.now());
      // Wrong variables or headers stay wrong on a retry: an incident at once, with the reason.
      if (!result.ok) return fail(`deadline task ${job.elementId}: ${result.problem}`, 0, 0);
      const applicationId = job.variables.applicationId;
      if (deps.record && !job.variables.sandbox && typeof applicationId === 'string')
        await deps.record({ applicationId, jobKey: job.key, elementId: job.elementId, dueDate: result.dueDate, warnAt: result.warnAt });
      return complete({ dueDate: result.dueDate, warnAt: result.warnAt });
    },
  };
}
