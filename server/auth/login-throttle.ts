import type { Knex } from 'knex';
import type { Clock } from '../clock';

export const THROTTLE = {
  /** Failures in a row before each further attempt waits. */
  freeFailures: 3,
  firstDelayMs: 250,
  maxDelayMs: 3000,
  /** Failures in a row that refuse the username for `lockMs`. */
  maxFailures: 10,
  /** How long a run of failures is remembered, and how long a lock lasts. */
  windowMs: 15 * 60 * 1000,
  lockMs: 15 * 60 * 1000,
};

export type Admission = { refused: false; delayMs: number } | { refused: true; retryAfterSeconds: number };

/**
 * Counts failed sign-ins per username in `login_attempts`. Every attempt is counted as a failure
 * before its password is checked (one atomic upsert), so parallel attempts cannot all slip in
 * under the limit; a success then clears the row.
 */
export class LoginThrottle {
  constructor(private readonly knex: Knex, private readonly clock: Clock) {}

  async admit(username: string): Promise<Admission> {
    const now = this.clock.now();
    const windowStart = new Date(now.getTime() - THROTTLE.windowMs);
    const lockUntil = new Date(now.getTime() + THROTTLE.lockMs);
    // A run restarts when its lock has ended, or when no lock was reached and the last failure is older than the window.
    const restart = `(a.locked_until is not null and a.locked_until <= :now) or (a.locked_until is null and a.last_failure_at <= :windowStart)`;
    const result = await this.knex.raw(
      `insert into login_attempts as a (username, failures, last_failure_at, locked_until)
       values (:username, 1, :now, null)
       on conflict (username) do update set
         failures = case when ${restart} then 1 else a.failures + 1 end,
         locked_until = case when ${restart} then null when a.failures + 1 = :maxFailures then :lockUntil else a.locked_until end,
         last_failure_at = :now
       returning failures, locked_until`,
      { username, now, windowStart, lockUntil, maxFailures: THROTTLE.maxFailures },
    );
    const row = result.rows[0] as { failures: number; locked_until: Date | string | null };
    if (row.failures > THROTTLE.maxFailures) {
      const until = row.locked_until ? new Date(row.locked_until).getTime() : lockUntil.getTime();
      return { refused: true, retryAfterSeconds: Math.max(1, Math.ceil((until - now.getTime()) / 1000)) };
    }
    return { refused: false, delayMs: delayAfter(row.failures - 1) };
  }

  async succeeded(username: string): Promise<void> {
    await this.knex('login_attempts').where({ username }).delete();
  }

  /** Rows of runs long over, so guessed usernames do not pile up. */
  async prune(): Promise<void> {
    const now = this.clock.now();
    await this.knex('login_attempts')
      .where('last_failure_at', '<', new Date(now.getTime() - THROTTLE.windowMs))
      .andWhere((q) => q.whereNull('locked_until').orWhere('locked_until', '<', now))
      .delete();
  }
}

/** The wait before checking an attempt that follows `failures` failures in a row. */
export function delayAfter(failures: number): number {
  if (failures < THROTTLE.freeFailures) return 0;
  return Math.min(THROTTLE.maxDelayMs, THROTTLE.firstDelayMs * 2 ** (failures - THROTTLE.freeFailures));
}
