import { Worker } from 'node:worker_threads';
import { OcrEngineFailed, OcrPoolClosed, OcrScannedPdf, OcrUnsupportedInput } from './errors';
import type { Segment } from './layout';
import type { PdfAnswer, PdfRequest } from './pdf-thread';

export interface PdfReaderOptions {
  /** How long the thread stays with nothing to do before it ends (its memory goes back); default 30 s. */
  idleMs?: number;
  /** The thread's JavaScript heap at most, in MB: a PDF that needs more ends the thread, not the server. Default 512. */
  maxHeapMb?: number;
  /** The thread's module; default pdf-thread beside this file (tests give one that crashes). */
  thread?: URL;
}

export interface PdfReaderStats {
  /** Threads started so far (a new one after a crash, a stuck page, or an idle end). */
  started: number;
  running: boolean;
  /** Requests waiting behind the one in hand. */
  queued: number;
  crashed: number;
}

/** A request before it is given its id (each kind of request keeps its own fields). */
type Unsent<T> = T extends unknown ? Omit<T, 'id'> : never;
type Request = Unsent<PdfRequest>;

interface Task {
  request: Request;
  signal?: AbortSignal;
  resolve: (answer: PdfAnswer & { ok: true }) => void;
  reject: (error: unknown) => void;
}

export const PDF_READER_DEFAULTS = { idleMs: 30_000, maxHeapMb: 512 } as const;

/** Under tsx (the sources as they are) the thread registers tsx's loader first; a built tree runs its .js file. */
function spawn(entry: URL, maxHeapMb: number): Worker {
  const options = { resourceLimits: { maxOldGenerationSizeMb: maxHeapMb } };
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(boot, { ...options, eval: true });
}

/** The thread's refusal as the error the main thread would have thrown reading the PDF itself. */
function errorOf(answer: PdfAnswer & { ok: false }): Error {
  if (answer.code === 'OCR_UNSUPPORTED_INPUT') return new OcrUnsupportedInput(answer.detected ?? 'a damaged PDF', answer.message);
  if (answer.code === 'OCR_SCANNED_PDF') return new OcrScannedPdf(answer.message);
  return new OcrEngineFailed(`the PDF thread failed: ${answer.message}`);
}

/**
 * pdf.js off the main thread: reading a PDF's text layer and drawing a scan's page take from tens of milliseconds to
 * a second of CPU each, which would stall every request. One thread, started at the first PDF and ended after
 * `idleMs` with nothing to do, reads one request at a time (one page's bitmap at most); the others wait in line. A
 * thread that crashes fails the request in hand with OcrEngineFailed (worth a retry); the next request starts another.
 * A request whose signal aborts is dropped, or, when in hand, its thread is ended: a stuck page holds no one else up.
 */
export class PdfReader {
  private readonly idleMs: number;
  private readonly maxHeapMb: number;
  private readonly entry: URL;
  private worker: Worker | undefined;
  private current: { id: number; task: Task } | undefined;
  private readonly queue: Task[] = [];
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly counts = { started: 0, crashed: 0 };

  constructor(options: PdfReaderOptions = {}) {
    this.idleMs = options.idleMs ?? PDF_READER_DEFAULTS.idleMs;
    this.maxHeapMb = options.maxHeapMb ?? PDF_READER_DEFAULTS.maxHeapMb;
    this.entry = options.thread ?? new URL(import.meta.url.endsWith('.ts') ? './pdf-thread.ts' : './pdf-thread.js', import.meta.url);
  }

  /** The text layer as segments (pages stacked top to bottom); OcrScannedPdf when it has none, OcrUnsupportedInput when damaged. */
  async text(bytes: Uint8Array, signal?: AbortSignal): Promise<{ segments: Segment[]; text: string }> {
    const answer = await this.ask({ op: 'text', bytes }, signal);
    if (answer.op !== 'text') throw new OcrEngineFailed('the PDF thread answered out of turn');
    return { segments: answer.segments, text: answer.text };
  }

  /** Page `page` (from 1) of a scan drawn as a PNG `longSide` pixels on its long side, and how many pages the PDF has. */
  async drawPage(bytes: Uint8Array, page: number, longSide: number, signal?: AbortSignal): Promise<{ png: Buffer; pages: number }> {
    const answer = await this.ask({ op: 'page', bytes, page, longSide }, signal);
    if (answer.op !== 'page') throw new OcrEngineFailed('the PDF thread answered out of turn');
    return { png: Buffer.from(answer.png.buffer, answer.png.byteOffset, answer.png.byteLength), pages: answer.pages };
  }

  stats(): PdfReaderStats {
    return { started: this.counts.started, running: this.worker !== undefined, queued: this.queue.length, crashed: this.counts.crashed };
  }

  /** Refuses the waiting requests and the one in hand, and ends the thread. */
  async close(): Promise<void> {
    this.closed = true;
    const refused = new OcrPoolClosed();
    for (const task of this.queue.splice(0)) task.reject(refused);
    this.current?.task.reject(refused);
    this.current = undefined;
    await this.end();
  }

  private ask(request: Request, signal?: AbortSignal): Promise<PdfAnswer & { ok: true }> {
    if (this.closed) return Promise.reject(new OcrPoolClosed());
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const onAbort = () => this.abandon(task);
      const settled = () => signal?.removeEventListener('abort', onAbort);
      // A copy of the bytes alone, handed over (not copied again): a Buffer may be a slice of a far larger one.
      const task: Task = {
        request: { ...request, bytes: new Uint8Array(request.bytes) },
        signal,
        resolve: (answer) => (settled(), resolve(answer)),
        reject: (error) => (settled(), reject(error)),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(task);
      this.next();
    });
  }

  private abandon(task: Task): void {
    const at = this.queue.indexOf(task);
    if (at >= 0) this.queue.splice(at, 1);
    else if (this.current?.task === task) {
      this.current = undefined;
      void this.end();
    } else return;
    task.reject(task.signal!.reason);
    this.next();
  }

  private next(): void {
    if (this.current || this.closed) return;
    const task = this.queue.shift();
    if (!task) {
      clearTimeout(this.idleTimer);
      // Idle, the thread does not keep the process alive; with a request in hand, it does (a script awaiting a reading).
      this.worker?.unref();
      if (this.worker) this.idleTimer = setTimeout(() => void this.end(), this.idleMs).unref();
      return;
    }
    clearTimeout(this.idleTimer);
    const id = this.nextId++;
    this.current = { id, task };
    const worker = this.thread();
    worker.ref();
    worker.postMessage({ ...task.request, id } as PdfRequest, [task.request.bytes.buffer as ArrayBuffer]);
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = spawn(this.entry, this.maxHeapMb);
    this.worker = worker;
    this.counts.started++;
    worker.on('message', (answer: PdfAnswer) => {
      if (this.worker !== worker || this.current?.id !== answer.id) return;
      const { task } = this.current;
      this.current = undefined;
      if (answer.ok) task.resolve(answer);
      else task.reject(errorOf(answer));
      this.next();
    });
    let failure: Error | undefined;
    worker.on('error', (error) => (failure = error));
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.counts.crashed++;
      const lost = this.current?.task;
      this.current = undefined;
      lost?.reject(new OcrEngineFailed(`the PDF thread stopped (exit code ${code}${failure ? `: ${failure.message}` : ''})`, failure));
      this.next();
    });
    return worker;
  }

  /** Ends the thread on purpose (idle, a request abandoned, close): not a crash. */
  private async end(): Promise<void> {
    clearTimeout(this.idleTimer);
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }
}
