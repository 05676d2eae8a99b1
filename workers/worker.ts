/**
 * The worker contract, the same on the embedded engine and on Zeebe: a handler gets a job and returns an
 * outcome. It never returns nothing: every path completes, raises a BPMN error or fails.
 */
export type Variables = Record<string, unknown>;

export interface Job<V extends Variables = Variables, H extends Record<string, string> = Record<string, string>> {
  key: string;
  type: string;
  processInstanceKey: string;
  bpmnProcessId: string;
  processVersion: number;
  elementId: string;
  /** The process variables the job sees (after its input mappings). */
  variables: V;
  /** `zeebe:taskHeaders`. */
  headers: H;
  /** Retries left, counting this attempt. */
  retries: number;
  /** When the engine gives the job to another worker if this one has not answered. */
  deadline: Date;
}

export type JobOutcome =
  | { outcome: 'complete'; variables: Variables }
  /** A business error: a BPMN error boundary event with this code catches it (else an incident). */
  | { outcome: 'error'; errorCode: string; message: string; variables: Variables }
  /** A technical failure: retried after the back-off while retries last, then an incident. */
  | { outcome: 'fail'; message: string; retryBackoffMs: number; retries?: number };

export interface Worker<V extends Variables = Variables, H extends Record<string, string> = Record<string, string>> {
  type: string;
  handler(job: Job<V, H>): Promise<JobOutcome>;
  /** How long a job may run before the engine hands it out again. */
  timeoutMs?: number;
  /** Jobs of this type run at once in one process. */
  maxConcurrent?: number;
}

export const complete = (variables: Variables = {}): JobOutcome => ({ outcome: 'complete', variables });

export const bpmnError = (errorCode: string, message: string, variables: Variables = {}): JobOutcome => ({
  outcome: 'error',
  errorCode,
  message,
  variables,
});

/** `retries`: how many are left, when the worker knows better than counting down (0: an incident at once). */
export const fail = (message: string, retryBackoffMs = 1000, retries?: number): JobOutcome => ({
  outcome: 'fail',
  message,
  retryBackoffMs,
  retries,
});

export const WORKER_DEFAULTS = { timeoutMs: 30_000, maxConcurrent: 8 } as const;

/** A handler that throws instead of returning an outcome is a technical failure, never a lost job. */
export async function runHandler(worker: Worker<any, any>, job: Job): Promise<JobOutcome> {
  try {
    const result = await worker.handler(job);
    if (!result || typeof result !== 'object' || !('outcome' in result)) {
      return fail(`worker ${worker.type} returned no outcome`);
    }
    return result;
  } catch (error) {
    return fail(`worker ${worker.type} threw: ${(error as Error)?.message ?? String(error)}`);
  }
}
