import { expect } from 'chai';
import { loadConfig, ConfigError } from '../../../server/config';
import { aiReviewWorker, type AiReviewApplication } from '../../../workers/ai-review';
import type { Job } from '../../../workers/worker';

const job = (variables: Record<string, unknown>): Job<any> => ({
  key: 'job-1',
  type: 'ai-review',
  processInstanceKey: 'pi-1',
  bpmnProcessId: 'common-review-decide-issue',
  processVersion: 1,
  elementId: 'Task_AiReview',
  variables,
  headers: {},
  retries: 3,
  deadline: new Date(Date.now() + 30_000),
});

describe('AI review: the ai-review worker and its configuration', () => {
  it('is off by default: no AI_REVIEW_URL, no model, and the job completes at once with {enabled: false}', async () => {
    const config = loadConfig({ NODE_ENV: 'test' });
    expect(config.aiReview).to.equal(undefined);
    const outcome = await aiReviewWorker(undefined).handler(job({ applicationId: 'A-1' }));
    expect(outcome).to.deep.equal({ outcome: 'complete', variables: { aiReview: { enabled: false } } });
  });

  it('reads its endpoint, model, key and time limit from the environment', () => {
    const env = {
      AI_REVIEW_URL: 'http://127.0.0.1:11434/v1',
      AI_REVIEW_MODEL: 'qwen2.5:7b',
      AI_REVIEW_API_KEY: 'k',
      AI_REVIEW_TIMEOUT_MS: '5000',
    };
    expect(loadConfig(env).aiReview).to.deep.equal({ url: 'http://127.0.0.1:11434/v1', model: 'qwen2.5:7b', apiKey: 'k', timeoutMs: 5000 });
    expect(loadConfig({ AI_REVIEW_URL: 'https://api.deepseek.com/v1', AI_REVIEW_MODEL: 'deepseek-chat' }).aiReview).to.deep.include({
      timeoutMs: 20_000,
      apiKey: undefined,
    });
  });

  it('refuses to start with an endpoint but no model, or an address that is not http(s)', () => {
    expect(() => loadConfig({ AI_REVIEW_URL: 'http://127.0.0.1:11434/v1' })).to.throw(ConfigError, /AI_REVIEW_MODEL/);
    expect(() => loadConfig({ AI_REVIEW_URL: 'ftp://models', AI_REVIEW_MODEL: 'm' })).to.throw(ConfigError, /AI_REVIEW_URL/);
    expect(() => loadConfig({ AI_REVIEW_URL: 'http://m/v1', AI_REVIEW_MODEL: 'm', AI_REVIEW_TIMEOUT_MS: '0' })).to.throw(ConfigError);
  });

  it('enabled, completes with what the platform recorded, and fails (no retry) for an application that does not exist', async () => {
    const recorded = { findings: [], model: 'm', promptVersion: 'v', failed: 'timeout' as const };
    const review: AiReviewApplication = async (id) => (id === 'A-1' ? recorded : 'unknown-application');
    const worker = aiReviewWorker(review, { timeoutMs: 50_000 });
    expect(worker.timeoutMs).to.equal(50_000);
    expect(await worker.handler(job({ applicationId: 'A-1' }))).to.deep.equal({ outcome: 'complete', variables: { aiReview: recorded } });
    expect(await worker.handler(job({ applicationId: 'A-2' }))).to.include({ outcome: 'fail', retries: 0 });
  });
});
