/** The one source of time: the audit log, deadlines and timers read it, and tests move it forward. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that stands still until moved; for tests and for simulations. */
export class MovableClock implements Clock {
  private offsetMs = 0;
  constructor(private readonly base: () => Date = () => new Date()) {}
  now(): Date {
    return new Date(this.base().getTime() + this.offsetMs);
  }
  advance(ms: number): void {
    if (ms < 0) throw new Error('time only moves forward');
    this.offsetMs += ms;
  }
}
