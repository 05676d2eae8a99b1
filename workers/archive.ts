import { complete, fail, type Worker } from './worker';

export type ArchiveOutcome =
  | { kind: 'archived'; archiveId: string }
  | { kind: 'nothing-to-archive' }
  | { kind: 'not-closed'; status: string }
  | { kind: 'unknown-application' };

/** What the archive worker asks of the platform: archive the closed case, once. */
export type ArchiveCase = (applicationId: string) => Promise<ArchiveOutcome>;

/**
 * `archive` (shared/JOBS.md): the closed case's archive package, checked for the four properties and kept, as
 * `archiveId`. A sandbox instance archives nothing. A package that fails its own check is a technical failure
 * (retried, then an incident): the case stays unarchived rather than archived wrong.
 */
export function archiveWorker(archive: ArchiveCase): Worker<{ applicationId?: string; sandbox?: boolean }> {
  return {
    type: 'archive',
    timeoutMs: 120_000,
    maxConcurrent: 2,
    async handler(job) {
      if (job.variables.sandbox) return complete({ sandbox: true });
      const applicationId = job.variables.applicationId;
      if (!applicationId) return fail(`archive task ${job.elementId} ran without an applicationId variable`, 0, 0);
      const outcome = await archive(applicationId);
      switch (outcome.kind) {
        case 'archived':
          return complete({ archiveId: outcome.archiveId });
        case 'nothing-to-archive':
          return complete({ archiveId: null });
        case 'not-closed':
          return fail(`application ${applicationId} is ${outcome.status}: only a closed case is archived`, 10_000);
        case 'unknown-application':
          return fail(`application ${applicationId} does not exist`, 0, 0);
      }
    },
  };
}
