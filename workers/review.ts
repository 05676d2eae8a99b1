import { complete, fail, type Worker } from './worker';

export interface ReviewOutcome {
  passed: boolean;
  findings: { point: string; severity: 'block' | 'warn'; message: string; field?: string }[];
  tableVersion: number | null;
}

/** What the review worker asks of the platform: review the application and record the findings once per job. */
export type ReviewApplication = (applicationId: string, jobKey: string) => Promise<ReviewOutcome | 'unknown-application'>;

/**
 * `review` (shared/JOBS.md): evaluates the latest deployed `<matter-slug>-review` table over the facts of the
 * application and writes `review: {passed, findings, tableVersion}`; the findings are stored with the application.
 * A designer's sandbox instance records nothing: it keeps the `review` it was given, else passes with nothing found.
 */
export function reviewWorker(review: ReviewApplication): Worker<{ applicationId?: string; sandbox?: boolean; review?: ReviewOutcome }> {
  return {
    type: 'review',
    async handler(job) {
      // A try-it may carry a real application's id: it records no findings. The designer steers the path with a
      // `review` variable of their own, else the case passes.
      if (job.variables.sandbox) return complete({ review: job.variables.review ?? { passed: true, findings: [], tableVersion: null } });
      const applicationId = job.variables.applicationId;
      if (!applicationId) return fail(`review task ${job.elementId} ran without an applicationId variable`, 0, 0);
      const outcome = await review(applicationId, job.key);
      if (outcome === 'unknown-application') return fail(`application ${applicationId} does not exist`, 0, 0);
      return complete({ review: outcome });
    },
  };
}
