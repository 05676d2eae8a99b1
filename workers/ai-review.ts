import type { AdvisoryFinding, AiReviewErrorCode } from './ai-review/index';
import { complete, fail, type Worker } from './worker';

/** The `aiReview` variable: advisory findings, or why there are none (`failed`); the model and prompt that gave them. */
export type AiReviewOutcome = { enabled: false } | AiReviewRecord;

/** An AI review that ran: what it found, or why it found nothing (`failed`). */
export interface AiReviewRecord {
  findings: AdvisoryFinding[];
  model: string;
  promptVersion: string;
  failed?: AiReviewErrorCode;
}

/** What the worker asks of the platform: the model's advisory findings on the application, recorded once per job. */
export type AiReviewApplication = (applicationId: string, jobKey: string) => Promise<AiReviewRecord | 'unknown-application'>;

/**
 * `ai-review` (shared/JOBS.md), optional: an AI model's advisory findings on the case, warnings only. It never decides
 * and never stops the case: off (no model configured) it completes with `{enabled: false}` at once; a model that does
 * not answer usably completes it with no findings and the reason, and the rules decide alone.
 */
export function aiReviewWorker(
  review: AiReviewApplication | undefined,
  options: { timeoutMs?: number } = {},
): Worker<{ applicationId?: string; sandbox?: boolean }> {
  return {
    type: 'ai-review',
    timeoutMs: options.timeoutMs,
    maxConcurrent: 4,
    async handler(job) {
      if (!review) return complete({ aiReview: { enabled: false } });
      // A try-it may carry a real application's id: it asks no model and records nothing.
      if (job.variables.sandbox) return complete({ aiReview: { enabled: false } });
      const applicationId = job.variables.applicationId;
      if (!applicationId) return fail(`ai-review task ${job.elementId} ran without an applicationId variable`, 0, 0);
      const outcome = await review(applicationId, job.key);
      if (outcome === 'unknown-application') return fail(`application ${applicationId} does not exist`, 0, 0);
      return complete({ aiReview: outcome });
    },
  };
}
