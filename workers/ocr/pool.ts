import os from 'node:os';
import { TesseractEngine, type OcrEngine, type PooledEngine } from './engine';
import { OcrEngineFailed, OcrError, OcrPoolClosed, OcrQueueFull, OcrTimeout } from './errors';
import { PdfReader, type PdfReaderOptions } from './pdf-reader';

/**
 * A unit of work on one tesseract worker: one image, however many recognitions it takes. `signal` aborts when the job
 * runs past its time limit: work it started elsewhere (a PDF page being drawn) stops with it.
 */
export type OcrJob<T> = (engine: OcrEngine, signal: AbortSignal) => Promise<T>;

export interface OcrPoolOptions {
  /** Tesseract workers at most; default: the machine's cores. */
  size?: number;
  /** Jobs waiting for a worker at most; one more is refused with OcrQueueFull. Default: 4 per worker. */
  maxQueue?: number;
  /** Time limit of one job once it runs (waiting not counted); default 30 s. */
  timeoutMs?: number;
  /** How a worker is started; tests give a fake. */
  startEngine?: () => Promise<PooledEngine>;
  /** The thread that reads PDFs (`pdf`). */
  pdf?: PdfReaderOptions;
}

export interface OcrPoolStats {
  size: number;
  /** Workers started and not terminated. */
  started: number;
  busy: number;
  queued: number;
  maxQueue: number;
  completed: number;
  failed: number;
  timedOut: number;
  rejected: number;
}

interface Slot {
  engine?: Promise<PooledEngine>;
  busy: boolean;
}

interface Waiting {
  run: (engine: OcrEngine, signal: AbortSignal) => Promise<unknown>;
  timeoutMs: number;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export const OCR_POOL_DEFAULTS = { timeoutMs: 30_000, queuePerWorker: 4 } as const;

/**
 * Tesseract workers started when first needed and kept, each running one job at a time, with a bounded queue in
 * front: a full queue refuses at once, so an upload is never held hostage to a backlog. Beside them, `pdf`: the one
 * thread that reads PDFs' text layers and draws scans' pages, ended with the pool.
 */
export class OcrPool {
  readonly size: number;
  readonly maxQueue: number;
  readonly timeoutMs: number;
  readonly pdf: PdfReader;
  private readonly startEngine: () => Promise<PooledEngine>;
  private readonly slots: Slot[];
  private readonly queue: Waiting[] = [];
  private closed = false;
  private readonly counts = { completed: 0, failed: 0, timedOut: 0, rejected: 0 };

  constructor(options: OcrPoolOptions = {}) {
    this.size = Math.max(1, Math.floor(options.size ?? os.availableParallelism()));
    this.maxQueue = Math.max(0, Math.floor(options.maxQueue ?? this.size * OCR_POOL_DEFAULTS.queuePerWorker));
    this.timeoutMs = options.timeoutMs ?? OCR_POOL_DEFAULTS.timeoutMs;
    this.startEngine = options.startEngine ?? (() => TesseractEngine.start());
    this.slots = Array.from({ length: this.size }, () => ({ busy: false }));
    this.pdf = new PdfReader(options.pdf);
  }

  /** Throws OcrQueueFull (or OcrPoolClosed) when a job submitted now would be refused. */
  assertCapacity(): void {
    if (this.closed) throw new OcrPoolClosed();
    const idle = this.slots.some((s) => !s.busy);
    if (!idle && this.queue.length >= this.maxQueue) {
      this.counts.rejected++;
      throw new OcrQueueFull(this.queue.length, this.maxQueue);
    }
  }

  /** Runs the job on a free worker, or queues it; rejects at once with OcrQueueFull when the queue is full. */
  submit<T>(job: OcrJob<T>, options: { timeoutMs?: number } = {}): Promise<T> {
    try {
      this.assertCapacity();
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run: job, timeoutMs: options.timeoutMs ?? this.timeoutMs, resolve: resolve as (v: unknown) => void, reject });
      this.dispatch();
    });
  }

  stats(): OcrPoolStats {
    return {
      size: this.size,
      started: this.slots.filter((s) => s.engine).length,
      busy: this.slots.filter((s) => s.busy).length,
      queued: this.queue.length,
      maxQueue: this.maxQueue,
      ...this.counts,
    };
  }

  /** Starts every worker now rather than on first use (about 0.4 s each). */
  async warmUp(): Promise<void> {
    if (this.closed) throw new OcrPoolClosed();
    await Promise.all(this.slots.map((slot) => this.engineOf(slot)));
  }

  /** Refuses the queued jobs and terminates every worker and the PDF thread; jobs running are abandoned. */
  async close(): Promise<void> {
    this.closed = true;
    for (const waiting of this.queue.splice(0)) waiting.reject(new OcrPoolClosed());
    await Promise.allSettled([...this.slots.map((slot) => this.retire(slot)), this.pdf.close()]);
  }

  private engineOf(slot: Slot): Promise<PooledEngine> {
    if (!slot.engine) {
      const started = this.startEngine();
      slot.engine = started;
      started.catch(() => {
        if (slot.engine === started) slot.engine = undefined;
      });
    }
    return slot.engine;
  }

  private async retire(slot: Slot): Promise<void> {
    const engine = slot.engine;
    slot.engine = undefined;
    if (engine) await (await engine).terminate();
  }

  private dispatch(): void {
    while (!this.closed && this.queue.length > 0) {
      const slot = this.slots.find((s) => !s.busy);
      if (!slot) return;
      slot.busy = true;
      void this.runOn(slot, this.queue.shift()!);
    }
  }

  private async runOn(slot: Slot, waiting: Waiting): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const abort = new AbortController();
    try {
      let engine: PooledEngine;
      try {
        engine = await this.engineOf(slot);
      } catch (error) {
        throw new OcrEngineFailed(`the tesseract worker did not start: ${(error as Error)?.message ?? error}`, error);
      }
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const error = new OcrTimeout(waiting.timeoutMs);
          abort.abort(error);
          reject(error);
        }, waiting.timeoutMs);
      });
      const result = await Promise.race([waiting.run(engine, abort.signal), timeout]);
      this.counts.completed++;
      waiting.resolve(result);
    } catch (error) {
      if (error instanceof OcrTimeout) {
        this.counts.timedOut++;
        // A worker stuck in a recognition cannot be interrupted: end its thread, the next job starts a new one.
        void this.retire(slot).catch(() => undefined);
      } else {
        this.counts.failed++;
      }
      waiting.reject(error instanceof OcrError ? error : new OcrEngineFailed(`OCR failed: ${(error as Error)?.message ?? error}`, error));
    } finally {
      clearTimeout(timer);
      slot.busy = false;
      this.dispatch();
    }
  }
}
