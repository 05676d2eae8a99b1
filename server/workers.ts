import { recordDeadline } from './applications/deadline-record';
import { sendNotice } from './applications/notices';
import { raisePriorityOnNotice } from './worklist/priorities';
import { refreshPrefill } from './applications/prefill-refresh';
import { recordReview } from './applications/review-record';
import type { ApplicationDeps } from './applications/store';
import { recordStatus } from './applications/status-record';
import { deadlineWorker } from '../workers/deadline';
import { notifyWorker } from '../workers/notify';
import { prefillWorker } from '../workers/prefill';
import { reviewWorker } from '../workers/review';
import { statusWorker } from '../workers/status';
import { ocrWorker } from '../workers/ocr';
import { readCase } from './applications/material-reading';
import { esignWorker } from '../workers/esign';
import { licensePublishWorker } from '../workers/license-publish';
import { signCaseDocuments } from './issuing/case-documents';
import type { IssuingDeps } from './issuing/issuing-deps';
import { publishLicense } from './issuing/publish';

import { archiveWorker } from '../workers/archive';
import { aiReviewWorker } from '../workers/ai-review';
import { ChatCompletionsModel } from '../workers/ai-review/index';
import type { Config } from './config';
import { recordAiReview } from './review/ai-review-record';
import type { Worker } from '../workers/worker';

/** Every worker of `workers/`, registered on the platform's engine with what it needs. */
export function registerWorkers(
  platform: ApplicationDeps,
  issuing: Pick<IssuingDeps, 'keyStore' | 'publicUrl'>,
  disabled: readonly string[] = [],
  aiReview?: Config['aiReview'],
): void {
  const { knex, audit, clock, matters } = platform;
  const engine = {
    registerWorker: (worker: Worker<any, any>) => !disabled.includes(worker.type) && platform.engine.registerWorker(worker),
  };
  engine.registerWorker(deadlineWorker({ matters, clock, record: (deadline) => recordDeadline(knex, clock, deadline) }));
  engine.registerWorker(statusWorker((change) => recordStatus(knex, audit, clock, change)));
  engine.registerWorker(prefillWorker((applicationId, jobKey) => refreshPrefill(platform, applicationId, jobKey)));
  engine.registerWorker(
    notifyWorker(async (request) => {
      const sent = await sendNotice(platform, request);
      if (sent === 'sent') await raisePriorityOnNotice(platform, request);
      return sent;
    }),
  );
  engine.registerWorker(ocrWorker((applicationId) => readCase(platform.reader, knex, applicationId)));
  engine.registerWorker(reviewWorker((applicationId, jobKey) => recordReview(platform, applicationId, jobKey)));
  const model = aiReview && new ChatCompletionsModel(aiReview);
  engine.registerWorker(
    aiReviewWorker(model && ((applicationId, jobKey) => recordAiReview(platform, model, applicationId, jobKey)), {
      // The model's own limit, and time to read the case and record the answer.
      timeoutMs: aiReview && aiReview.timeoutMs + 30_000,
    }),
  );
  const issuingDeps: IssuingDeps = { ...platform, ...issuing };
  engine.registerWorker(esignWorker(signCaseDocuments(issuingDeps)));
  engine.registerWorker(licensePublishWorker(publishLicense(issuingDeps)));
  engine.registerWorker(archiveWorker(platform.archive));
}
