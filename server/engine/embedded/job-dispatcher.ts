import type { Knex } from 'knex';
import type { Clock } from '../../clock';
import type { Logger } from '../../log';
import { runHandler, WORKER_DEFAULTS, type Job, type JobOutcome, type Worker } from '../../../workers/worker';
import type { JobRow } from './store';

interface Registered {
  worker: Worker<any, any>;
  running: number;
  timeoutMs: number;
  maxConcurrent: number;
}

export type OutcomeSink = (job: JobRow & { bpmn_process_id: string; version: number }, outcome: JobOutcome) => Promise<void>;

/**
 * Hands activatable jobs to the workers registered in this process: at once when a step creates them, and by
 * polling for the rest (after a restart, a retry back-off, a job whose worker did not answer in time).
 */
export class JobDispatcher {
  private readonly workers = new Map<string, Registered>();
  private readonly inHand = new Set<Promise<void>>();
  /** Types that may have activatable jobs waiting for a slot: a slot that frees takes the next at once. */
  private readonly backlog = new Set<string>();
  private readonly pulling = new Set<string>();
  private stopped = false;

  constructor(
    private readonly knex: Knex,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly sink: OutcomeSink,
  ) {}

  register(worker: Worker<any, any>): void {
    if (this.workers.has(worker.type)) throw new Error(`a worker for job type ${worker.type} is registered already`);
    this.workers.set(worker.type, {
      worker,
      running: 0,
      timeoutMs: worker.timeoutMs ?? WORKER_DEFAULTS.timeoutMs,
      maxConcurrent: worker.maxConcurrent ?? WORKER_DEFAULTS.maxConcurrent,
    });
  }

  serves(type: string): boolean {
    return this.workers.has(type);
  }

  /**
   * Reserves a slot for a job about to be created, so the step inserts it activated and it runs right after the
   * commit, without another round trip; undefined when no worker here has room. `release` if the step does not commit.
   */
  reserve(type: string): { worker: string; deadline: Date } | undefined {
    const registered = this.workers.get(type);
    if (this.stopped || !registered || registered.running >= registered.maxConcurrent) return undefined;
    registered.running++;
    return { worker: `embedded:${process.pid}`, deadline: new Date(this.clock.now().getTime() + registered.timeoutMs) };
  }

  release(type: string): void {
    const registered = this.workers.get(type);
    if (registered) registered.running--;
  }

  /** Runs jobs inserted activated under a reservation. */
  runReserved(rows: (JobRow & { bpmn_process_id: string; version: number })[]): void {
    for (const row of rows) this.launch(this.workers.get(row.type)!, row);
  }

  /** Activates and runs jobs just created, where a worker of their type has room. */
  async offer(jobs: { key: string; type: string }[]): Promise<void> {
    const byType = new Map<string, string[]>();
    for (const job of jobs) {
      const registered = this.workers.get(job.type);
      if (!registered) continue;
      if (registered.running >= registered.maxConcurrent) {
        this.backlog.add(job.type);
        continue;
      }
      byType.set(job.type, [...(byType.get(job.type) ?? []), job.key]);
    }
    for (const [type, keys] of byType) await this.activate(type, keys);
  }

  /** One round: hand back jobs whose deadline passed, then activate what is due for each type with room. */
  async poll(): Promise<void> {
    if (this.stopped) return;
    const now = this.clock.now();
    await this.knex('jobs').where({ state: 'activated' }).where('deadline', '<', now).update({ state: 'activatable', worker: null });
    for (const type of this.workers.keys()) await this.activateDue(type);
  }

  /** Activates the due jobs of a type, as many as its worker has room for; the backlog is kept while room fills. */
  private async activateDue(type: string): Promise<void> {
    const registered = this.workers.get(type)!;
    const room = registered.maxConcurrent - registered.running;
    if (room <= 0 || this.stopped) return;
    const now = this.clock.now();
    const due = this.knex('jobs')
      .select('key')
      .where({ state: 'activatable', type })
      .andWhere((q) => q.whereNull('retry_at').orWhere('retry_at', '<=', now))
      .orderBy('key')
      .limit(room);
    const keys = (await due).map((r: { key: string }) => String(r.key));
    if (keys.length < room) this.backlog.delete(type);
    else this.backlog.add(type);
    if (keys.length) await this.activate(type, keys);
  }

  /** A slot of a type with a backlog freed: take the next job now rather than at the next poll. */
  private pull(type: string): void {
    if (this.pulling.has(type) || this.stopped) return;
    this.pulling.add(type);
    setImmediate(() => {
      this.activateDue(type)
        .catch((error) => this.log.error('jobs waiting for a slot not activated; the next poll takes them', { type, error }))
        .finally(() => this.pulling.delete(type));
    });
  }

  private async activate(type: string, keys: string[]): Promise<void> {
    const registered = this.workers.get(type)!;
    if (this.stopped) return;
    const now = this.clock.now();
    const rows: (JobRow & { bpmn_process_id: string; version: number })[] = await this.knex('jobs as j')
      .update({
        state: 'activated',
        activation: this.knex.raw('j.activation + 1'),
        worker: `embedded:${process.pid}`,
        deadline: new Date(now.getTime() + registered.timeoutMs),
      })
      .whereIn('j.key', keys)
      .andWhere('j.state', 'activatable')
      .andWhere((q) => q.whereNull('j.retry_at').orWhere('j.retry_at', '<=', now))
      .updateFrom('process_instances as i')
      .whereRaw('i.key = j.instance_key')
      .returning(['j.*', 'i.bpmn_process_id', 'i.version']);
    for (const row of rows) {
      registered.running++;
      this.launch(registered, row);
    }
  }

  /** Runs one activated job; its slot (counted in `running`) is given back when it ends. */
  private launch(registered: Registered, row: JobRow & { bpmn_process_id: string; version: number }): void {
    const run = this.run(registered, row).finally(() => {
      registered.running--;
      this.inHand.delete(run);
      if (this.backlog.has(row.type)) this.pull(row.type);
    });
    this.inHand.add(run);
  }

  private async run(registered: Registered, row: JobRow & { bpmn_process_id: string; version: number }): Promise<void> {
    const job: Job = {
      key: String(row.key),
      type: row.type,
      processInstanceKey: String(row.instance_key),
      bpmnProcessId: row.bpmn_process_id,
      processVersion: row.version,
      elementId: row.element_id,
      variables: row.variables,
      headers: row.headers,
      retries: row.retries,
      deadline: row.deadline ?? new Date(this.clock.now().getTime() + registered.timeoutMs),
    };
    const outcome = await runHandler(registered.worker, job);
    try {
      await this.sink(row, outcome);
    } catch (error) {
      this.log.error('job outcome not recorded; the job will be handed out again after its deadline', { job: job.key, error });
    }
  }

  /** Takes no more jobs and waits for those in hand. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled([...this.inHand]);
  }

  restart(): void {
    this.stopped = false;
  }
}
