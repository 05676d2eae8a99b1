import { Worker } from 'node:worker_threads';
import type { Clock } from '../../clock';
import type { Logger } from '../../log';
import type { DecisionSource, Definitions } from './definitions';
import type { Action, OpenSession, Session, StepOutcome } from './instance-runner';

/** What the main thread asks of an engine thread (`id` 0: no answer wanted). */
type OpenRequest = { op: 'open'; id: number; session: number; name: string; resourceKey: string; storedState: unknown | null; now: string };
type ApplyRequest = { op: 'apply'; id: number; session: number; action: Action; now: string };
export type Request =
  | { op: 'definition'; id: 0; resourceKey: string; xml: string }
  | { op: 'decisions'; id: 0; sources: DecisionSource[] }
  | OpenRequest
  | ApplyRequest
  | { op: 'close'; id: 0; session: number };

export type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

type Pending = { resolve(value: unknown): void; reject(error: Error): void };

/** Under tsx (the sources as they are) the thread registers tsx's loader first; a built tree runs its .js file. */
function spawn(): Worker {
  const entry = new URL(import.meta.url.endsWith('.ts') ? './session-thread.ts' : './session-thread.js', import.meta.url).href;
  if (!entry.endsWith('.ts')) return new Worker(new URL(entry));
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(boot, { eval: true });
}

class EngineThread {
  private readonly worker = spawn();
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Process versions this thread was given. */
  readonly definitions = new Set<string>();
  /** Sessions open in this thread. */
  sessions = 0;
  usedAt = Date.now();
  alive = true;

  constructor(onExit: (thread: EngineThread, error?: Error) => void) {
    this.worker.unref();
    this.worker.on('message', (reply: Reply) => {
      const pending = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.ok) pending?.resolve(reply.result);
      else pending?.reject(new Error(reply.error));
    });
    let failure: Error | undefined;
    this.worker.on('error', (error) => (failure = error));
    this.worker.on('exit', (code) => {
      this.alive = false;
      const error = new Error(`engine thread stopped (exit code ${code}${failure ? `: ${failure.message}` : ''})`);
      for (const pending of this.pending.values()) pending.reject(error);
      this.pending.clear();
      onExit(this, failure);
    });
  }

  get load(): number {
    return this.pending.size;
  }

  call<T>(request: Omit<OpenRequest, 'id'> | Omit<ApplyRequest, 'id'>): Promise<T> {
    if (!this.alive) return Promise.reject(new Error('engine thread stopped'));
    const id = this.nextId++;
    this.usedAt = Date.now();
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as Pending['resolve'], reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  send(request: Extract<Request, { id: 0 }>): void {
    if (this.alive) this.worker.postMessage(request);
  }

  terminate(): Promise<number> {
    this.alive = false;
    return this.worker.terminate();
  }
}

class ThreadSession implements Session {
  private failed = false;
  private closed = false;

  constructor(
    private readonly thread: EngineThread,
    private readonly id: number,
    private readonly clock: Clock,
    private readonly onClose: () => void,
  ) {}

  async apply(action: Action): Promise<StepOutcome> {
    if (this.closed) throw new Error('session closed');
    const outcome = await this.thread.call<StepOutcome>({ op: 'apply', session: this.id, action, now: this.clock.now().toISOString() });
    if (outcome.state === 'incident') this.failed = true;
    return outcome;
  }

  /** The engine failed, or its thread is gone. */
  get broken(): boolean {
    return this.failed || !this.thread.alive;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.thread.send({ op: 'close', id: 0, session: this.id });
    this.onClose();
  }
}

/** A session in this thread, counted while open. */
class CountedSession implements Session {
  private closed = false;

  constructor(
    private readonly inner: Session,
    private readonly onClose: () => void,
  ) {}

  get broken(): boolean {
    return this.inner.broken;
  }

  apply(action: Action): Promise<StepOutcome> {
    return this.inner.apply(action);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
    await this.inner.close();
  }
}

/** A thread with no session for this long ends (its memory goes back); the next burst starts it again. */
const THREAD_IDLE_MS = 60_000;

/**
 * Where instances' engines run. bpmn-engine's work is most of a step's CPU time; under load it goes to engine
 * threads on the other cores, while the main thread keeps the database, the locks and the workers. When few
 * instances move, it stays in the main thread, and threads idle for a minute end. Each session lives where it was opened until
 * it closes, so a live session's next step goes where its engine is; new sessions go to the least busy thread while
 * any runs. A
 * thread that dies fails the steps it had in hand (they were not committed, so they run again).
 */
export class SessionThreads {
  private readonly threads: EngineThread[] = [];
  private readonly decisions = new Map<string, DecisionSource>();
  private nextSession = 1;
  private openSessions = 0;
  private stopping = false;

  constructor(
    /** At most `size` threads; while none runs and fewer than `from` sessions are open, steps run in the main thread. */
    private readonly limits: { size: number; from: number },
    private readonly local: OpenSession,
    private readonly definitions: Definitions,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    definitions.followDecisions((sources) => {
      for (const source of sources) this.decisions.set(source.id, source);
      for (const thread of this.threads) thread.send({ op: 'decisions', id: 0, sources });
    });
  }

  open: OpenSession = async (name, resourceKey, storedState) => {
    if (this.limits.size === 0 || (this.threads.length === 0 && this.openSessions < this.limits.from)) {
      const session = await this.local(name, resourceKey, storedState);
      this.openSessions++;
      return new CountedSession(session, () => this.openSessions--);
    }
    const thread = this.pick();
    if (!thread.definitions.has(resourceKey)) {
      const xml = await this.definitions.source(resourceKey);
      if (!thread.definitions.has(resourceKey)) thread.send({ op: 'definition', id: 0, resourceKey, xml });
      thread.definitions.add(resourceKey);
    }
    const id = this.nextSession++;
    thread.sessions++;
    try {
      await thread.call({ op: 'open', session: id, name, resourceKey, storedState, now: this.clock.now().toISOString() });
    } catch (error) {
      thread.sessions--;
      throw error;
    }
    this.openSessions++;
    return new ThreadSession(thread, id, this.clock, () => {
      this.openSessions--;
      thread.sessions--;
      thread.usedAt = Date.now();
    });
  };

  get threadCount(): number {
    return this.threads.length;
  }

  /** Ends threads that have had no session for a while. */
  async sweep(now = Date.now()): Promise<void> {
    const idle = this.threads.filter((t) => t.sessions === 0 && t.load === 0 && now - t.usedAt >= THREAD_IDLE_MS);
    await this.end(idle);
  }

  /** Ends the threads (their sessions with them); the next open starts new ones. */
  async close(): Promise<void> {
    await this.end([...this.threads]);
  }

  private async end(threads: EngineThread[]): Promise<void> {
    if (!threads.length) return;
    for (const thread of threads) this.threads.splice(this.threads.indexOf(thread), 1);
    this.stopping = true;
    try {
      await Promise.all(threads.map((thread) => thread.terminate()));
    } finally {
      this.stopping = false;
    }
  }

  private pick(): EngineThread {
    if (this.threads.length < this.limits.size && !this.threads.some((t) => t.load === 0)) {
      const thread = new EngineThread((gone, error) => {
        const at = this.threads.indexOf(gone);
        if (at >= 0) this.threads.splice(at, 1);
        if (!this.stopping) this.log.error('an engine thread stopped; its steps in hand run again', { error });
      });
      thread.send({ op: 'decisions', id: 0, sources: [...this.decisions.values()] });
      this.threads.push(thread);
      return thread;
    }
    return this.threads.reduce((least, thread) => (thread.load < least.load ? thread : least));
  }
}
