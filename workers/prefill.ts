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
 * filled from and records what changed (`prefill.changedFields`); an applicant no longer eligible raises the BPMN error
 * `NOT_ELIGIBLE`; a registry that cannot answer is retried after 30 s, then an incident.
 */
export function prefillWorker(refresh: RefreshPrefill): Worker<{ applicationId?: string; sandbox?: boolean }> {
  return {
    type: 'prefill',
    async handler(job) {
      const applicationId = job.variables.applicationId;
      if (!applicationId) {
        return job.variables.sandbox
          ? complete({ prefill: { changedFields: [] } })
          : fail(`prefill task ${job.elementId} ran without an applicationId variable`, 0, 0);
      }
      const outcome = await refresh(applicationId, job.key);
      switch (outcome.kind) {
        case 'unknown-application':
          return job.variables.sandbox
            ? complete({ prefill: { changedFields: [] } })
            : fail(`application ${applicationId} does not exist`, 0, 0);
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
