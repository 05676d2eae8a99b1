import type { Zeebe } from '@camunda8/sdk';
import type { Logger } from '../../log';
import { runHandler, WORKER_DEFAULTS, type Job, type Variables, type Worker } from '../../../workers/worker';

type WorkerConfig = Parameters<Zeebe.ZeebeGrpcClient['createWorker']>[0];
type ZeebeJob = Parameters<WorkerConfig['taskHandler']>[0];
type Acknowledgement = Awaited<ReturnType<ZeebeJob['complete']>>;
/** The SDK types variables as JSON documents; a worker's are plain JSON values too. */
type JsonVariables = NonNullable<Parameters<ZeebeJob['complete']>[0]>;

/** The job as `workers/worker.ts` knows it, from the job the cluster handed out. */
export function jobOf(job: ZeebeJob): Job {
  return {
    key: job.key,
    type: job.type,
    processInstanceKey: job.processInstanceKey,
    bpmnProcessId: job.bpmnProcessId,
    processVersion: job.processDefinitionVersion,
    elementId: job.elementId,
    variables: { ...(job.variables as Variables) },
    headers: { ...(job.customHeaders as Record<string, string>) },
    retries: job.retries,
    deadline: new Date(Number(job.deadline)),
  };
}

/**
 * The worker's outcome as the cluster's answer: complete with the variables, throw the BPMN error, or fail with the
 * retries left (one fewer unless the worker says) and its back-off. A refused answer (the job timed out and went to
 * another worker, the instance was cancelled) is logged: the engine has moved on and only one answer counts.
 */
export function taskHandler(worker: Worker<any, any>, log: Logger) {
  return async (job: ZeebeJob): Promise<Acknowledgement> => {
    const outcome = await runHandler(worker, jobOf(job));
    try {
      if (outcome.outcome === 'complete') return await job.complete(outcome.variables as JsonVariables);
      if (outcome.outcome === 'error')
        return await job.error({
          errorCode: outcome.errorCode,
          errorMessage: outcome.message,
          variables: outcome.variables as JsonVariables,
        });
      const retries = outcome.retries ?? job.retries - 1;
      log.warn('job failed', { type: job.type, jobKey: job.key, message: outcome.message, retriesLeft: retries });
      return await job.fail({
        errorMessage: outcome.message,
        retries,
        retryBackOff: outcome.retryBackoffMs,
      });
    } catch (error) {
      log.warn('the cluster refused a job outcome', { type: job.type, jobKey: job.key, outcome: outcome.outcome, error: String(error) });
      return 'JOB_ACTION_ACKNOWLEDGEMENT';
    }
  };
}

/** Every worker of `workers/` as a Zeebe job worker (ActivateJobs long polling), stopped gracefully. */
export class JobWorkers {
  private readonly registered: Worker<any, any>[] = [];
  private readonly running: Zeebe.ZBWorker<any, any, any>[] = [];
  private started = false;

  constructor(
    private readonly grpc: Zeebe.ZeebeGrpcClient,
    private readonly workerName: string,
    private readonly log: Logger,
  ) {}

  register(worker: Worker<any, any>): void {
    this.registered.push(worker);
    if (this.started) this.open(worker);
  }

  serves(type: string): boolean {
    return this.registered.some((w) => w.type === type);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    for (const worker of this.registered) this.open(worker);
  }

  /** Takes no more jobs; resolves when the jobs in hand are answered. */
  async stop(): Promise<void> {
    this.started = false;
    await Promise.all(this.running.splice(0).map((w) => w.close()));
  }

  private open(worker: Worker<any, any>): void {
    this.running.push(
      this.grpc.createWorker({
        taskType: worker.type,
        id: this.workerName,
        timeout: worker.timeoutMs ?? WORKER_DEFAULTS.timeoutMs,
        maxJobsToActivate: worker.maxConcurrent ?? WORKER_DEFAULTS.maxConcurrent,
        taskHandler: taskHandler(worker, this.log),
      }),
    );
  }
}
