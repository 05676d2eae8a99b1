import { isNoticeTemplate, type NoticeTemplate } from './notify/templates';
import { complete, fail, type Worker } from './worker';

export interface NoticeRequest {
  applicationId: string;
  template: NoticeTemplate;
  jobKey: string;
}

/** What the notify worker asks of the platform: write the notice to the outbox once per job; 'unknown' for no such application. */
export type SendNotice = (request: NoticeRequest) => Promise<'sent' | 'unknown-application'>;

/**
 * `notify` (shared/JOBS.md): the notice named by the task's `template` header, to the applicant, the second party
 * or the department, through the outbox a message gateway reads. A sandbox instance sends nothing.
 */
export function notifyWorker(send: SendNotice): Worker<{ applicationId?: string; sandbox?: boolean }, { template?: string }> {
  return {
    type: 'notify',
    async handler(job) {
      if (job.variables.sandbox) return complete({ sandbox: true });
      const template = job.headers.template;
      if (!isNoticeTemplate(template))
        return fail(`notify task ${job.elementId} has template "${template ?? ''}", which is not a notice`, 0, 0);
      const applicationId = job.variables.applicationId;
      if (!applicationId) return fail(`notify task ${job.elementId} ran without an applicationId variable`, 0, 0);
      const result = await send({ applicationId, template, jobKey: job.key });
      if (result === 'unknown-application') return fail(`application ${applicationId} does not exist`, 0, 0);
      return complete({});
    },
  };
}
