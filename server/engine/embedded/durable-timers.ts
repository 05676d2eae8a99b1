/** A timer bpmn-engine asked for: never armed in-process; the due time is stored and the host fires it. */
export interface RequestedTimer {
  ref: { timerId: string };
  owner: { id?: string; executionId?: string; timerType?: string; timeDate?: string; expireAt?: string | Date } | null;
  callback: (...args: unknown[]) => void;
  args: unknown[];
  delayMs: number;
}

/**
 * The `timers` option of bpmn-engine: records instead of calling setTimeout, so a timer of any length survives
 * restarts (its due time is in PostgreSQL) and fires by the platform clock, not the wall clock.
 */
export class DurableTimers {
  private readonly armed = new Map<string, RequestedTimer>();
  private count = 0;

  get executing() {
    return [...this.armed.values()].map((t) => t.ref);
  }

  register(owner: RequestedTimer['owner']) {
    return {
      setTimeout: (callback: RequestedTimer['callback'], delayMs: number, ...args: unknown[]) => this.arm(owner, callback, delayMs, args),
      clearTimeout: (ref: { timerId?: string }) => this.clearTimeout(ref),
    };
  }

  setTimeout = (callback: RequestedTimer['callback'], delayMs: number, ...args: unknown[]) => this.arm(null, callback, delayMs, args);

  clearTimeout = (ref: { timerId?: string } | undefined) => {
    if (ref?.timerId) this.armed.delete(ref.timerId);
  };

  private arm(owner: RequestedTimer['owner'], callback: RequestedTimer['callback'], delayMs: number, args: unknown[]) {
    const ref = { timerId: `t${this.count++}` };
    this.armed.set(ref.timerId, { ref, owner, callback, args, delayMs });
    return ref;
  }

  /** Fires the timer bpmn-engine armed for one element execution; false when none is armed for it. */
  fire(executionId: string): boolean {
    for (const [id, timer] of this.armed) {
      if (timer.owner?.executionId === executionId) {
        this.armed.delete(id);
        timer.callback(...timer.args);
        return true;
      }
    }
    return false;
  }
}
