import { complete, fail, type Worker } from './worker';

export type PublishOutcome =
  | { kind: 'published'; licenseId: string }
  | { kind: 'nothing-to-publish' }
  | { kind: 'not-signed' }
  | { kind: 'not-approved'; status: string }
  | { kind: 'unknown-application' };

/** What the license-publish worker asks of the platform: publish the application's signed licence, once. */
export type PublishLicense = (applicationId: string) => Promise<PublishOutcome>;

/**
 * `license-publish` (shared/JOBS.md): writes the signed licence to the e-licence library (or revokes the held one for
 * a cancellation) and answers `licenseId`. A sandbox instance publishes nothing.
 */
export function licensePublishWorker(publish: PublishLicense): Worker<{ applicationId?: string; sandbox?: boolean }> {
  return {
    type: 'license-publish',
    async handler(job) {
      if (job.variables.sandbox) return complete({ sandbox: true });
      const applicationId = job.variables.applicationId;
      if (!applicationId) return fail(`license-publish task ${job.elementId} ran without an applicationId variable`, 0, 0);
      const outcome = await publish(applicationId);
      switch (outcome.kind) {
        case 'published':
          return complete({ licenseId: outcome.licenseId });
        case 'nothing-to-publish':
          return complete({ licenseId: null });
        case 'not-signed':
          return fail(`application ${applicationId} has no signed licence to publish`, 5_000);
        case 'not-approved':
          return fail(`application ${applicationId} is ${outcome.status}: only an approval publishes a licence`, 0, 0);
        case 'unknown-application':
          return fail(`application ${applicationId} does not exist`, 0, 0);
      }
    },
  };
}
