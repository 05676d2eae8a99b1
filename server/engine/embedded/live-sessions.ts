import type { Session } from './instance-runner';
import type { InstanceRow } from './store';

interface Live {
  session: Session;
  row: InstanceRow;
  touched: number;
}

/**
 * Instances whose next step is a job this process is about to run stay in memory between steps, so a job
 * completion does not pay for a recover. Their state is in the database all the same; an instance that waits on a
 * person, a message or a timer is never kept. Bounded in number and in idle time.
 */
export class LiveSessions {
  private readonly live = new Map<string, Live>();

  constructor(
    private readonly capacity = 2000,
    private readonly idleMs = 30_000,
  ) {}

  take(key: string): Live | undefined {
    const entry = this.live.get(key);
    if (entry) this.live.delete(key);
    return entry;
  }

  async keep(key: string, session: Session, row: InstanceRow): Promise<void> {
    this.live.set(key, { session, row, touched: Date.now() });
    if (this.live.size > this.capacity) {
      const [oldest] = this.live.keys();
      await this.drop(oldest);
    }
  }

  async drop(key: string): Promise<void> {
    const entry = this.live.get(key);
    this.live.delete(key);
    await entry?.session.close();
  }

  async sweep(): Promise<void> {
    const cutoff = Date.now() - this.idleMs;
    for (const [key, entry] of this.live) if (entry.touched < cutoff) await this.drop(key);
  }

  async clear(): Promise<void> {
    for (const key of [...this.live.keys()]) await this.drop(key);
  }

  get size(): number {
    return this.live.size;
  }
}
