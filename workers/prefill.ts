import { bpmnError, complete, fail, type Worker } from './worker';

export type PrefillOutcome =
  | { kind: 'refreshed'; changedFields: string[] }
  | { kind: 'not-eligible'; reasons: string[]; changedFields: string[] }
  | { kind: 'unavailable'; registries: string[] }
  | { kind: 'unknown-application' };

/** What the prefill worker asks of the platform: refresh the application's prefilled data once per job. */
export type RefreshPrefill = (applicationId: string, jobKey: string) => Promise<PrefillOutcome>;

const RETRY_MS = 30_000;

/**
 * `prefill` (shared/JOBS.md): after submission, re-reads the registries and the e-licence library the draft was
 * filled from and records what changed (`prefill.changedFields`), and checks the conditions again: what the review
 * table checks too (a licence expired since the draft…) is noted and left to the review; only an application that
 * cannot stand (`prefill/recheck.ts`) raises the BPMN error `NOT_ELIGIBLE`, its reasons in `notEligibleReasons`; a
 * registry that cannot answer is retried after 30 s, then an incident. A sandbox instance refreshes nothing and finds
 * nothing changed.
 */
export function prefillWorker(refresh: RefreshPrefill): Worker<{ applicationId?: string; sandbox?: boolean }> {
  return {
    type: 'prefill',
    async handler(job) {
      // A try-it may carry a real application's id: it refreshes and records nothing.
      if (job.variables.sandbox) return complete({ prefill: { changedFields: [] } });
      const applicationId = job.variables.applicationId;
      if (!applicationId) return fail(`prefill task ${job.elementId} ran without an applicationId variable`, 0, 0);
      const outcome = await refresh(applicationId, job.key);
      switch (outcome.kind) {
        case 'unknown-application':
          return fail(`application ${applicationId} does not exist`, 0, 0);
        case 'unavailable':
          return fail(`registries unavailable: ${outcome.registries.join(', ') || 'eligibility lookups'}`, RETRY_MS);
        case 'not-eligible':
          return bpmnError('NOT_ELIGIBLE', outcome.reasons.join('；'), {
            prefill: { changedFields: outcome.changedFields },
            notEligibleReasons: outcome.reasons,
          });
        case 'refreshed':
          return complete({ prefill: { changedFields: outcome.changedFields } });
      }
    },
  };
}
