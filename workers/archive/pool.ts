import type { KeyObject, X509Certificate } from 'node:crypto';
import { createRequire } from 'node:module';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { signatureCheck } from './manifest';
import type { ArchiveVerification } from './report';
import type { ThreadRequest, ThreadResponse, ThreadSetup, ThreadSource } from './verify-thread';

export interface VerifyPoolOptions {
  /** Threads; default: the machine's cores. */
  size?: number;
  /** The platform's public key (a KeyObject or SPKI PEM): a function cannot cross to a thread. */
  platformPublicKey: KeyObject | string;
  trustAnchors?: X509Certificate[];
  maxUncompressedBytes?: number;
  /** Packages in hand per thread at once, so a thread computes while its file reads and image headers are under way; default 4. */
  perThread?: number;
}

interface Task {
  request: ThreadSource;
  resolve: (result: ArchiveVerification) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  inFlight: Map<number, Task>;
  /** It has answered once: a thread that dies before that is not started again (a crash loop). */
  answered: boolean;
}

export const VERIFY_POOL_DEFAULTS = { perThread: 4 } as const;

/** Starts a thread running verify-thread.ts, through tsx when this module itself runs as TypeScript. */
function startThread(setup: ThreadSetup): Worker {
  const entry = new URL(`./verify-thread${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData: setup });
  // A thread does not inherit the tsx loader for its entry module (Node 20): it registers tsx's require hook first.
  const tsx = createRequire(import.meta.url).resolve('tsx/cjs/api');
  const boot = `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(fileURLToPath(entry))});`;
  return new Worker(boot, { eval: true, workerData: setup });
}

/**
 * Verifies many packages on several cores (a periodic re-check of the archive store, the benchmark). Each thread runs
 * verifyArchivePackage; a package is given as bytes or as a file path the thread reads itself.
 */
export class VerifyPool {
  readonly size: number;
  private readonly perThread: number;
  private readonly setup: ThreadSetup;
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private readonly pending = new Set<Promise<unknown>>();
  private nextId = 1;
  private closed = false;
  private broken: Error | undefined;

  /** Throws TypeError at once when the platform key is not an Ed25519 public key. */
  constructor(options: VerifyPoolOptions) {
    this.size = Math.max(1, Math.floor(options.size ?? os.availableParallelism()));
    this.perThread = Math.max(1, options.perThread ?? VERIFY_POOL_DEFAULTS.perThread);
    const key = options.platformPublicKey;
    signatureCheck(key);
    this.setup = {
      platformPublicKeyPem: typeof key === 'string' ? key : key.export({ type: 'spki', format: 'pem' }).toString(),
      trustAnchorsPem: options.trustAnchors?.map((anchor) => anchor.toString()),
      maxUncompressedBytes: options.maxUncompressedBytes,
    };
    for (let i = 0; i < this.size; i++) this.slots.push(this.startSlot());
  }

  /** The four-property check of a package: its bytes (copied to the thread), or the path of its file. */
  verify(source: Uint8Array | string): Promise<ArchiveVerification> {
    if (this.closed) return Promise.reject(new Error('the verify pool is closed'));
    if (this.broken) return Promise.reject(this.broken);
    const result = new Promise<ArchiveVerification>((resolve, reject) => {
      this.queue.push({ request: typeof source === 'string' ? { path: source } : { bytes: source }, resolve, reject });
      this.dispatch();
    });
    const settled: Promise<unknown> = result.then(
      () => this.pending.delete(settled),
      () => this.pending.delete(settled),
    );
    this.pending.add(settled);
    return result;
  }

  /** Waits for the packages in hand, then stops the threads; queued ones are refused. */
  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.reject(new Error('the verify pool is closed'));
    await Promise.all(this.pending);
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private startSlot(): Slot {
    const slot: Slot = { worker: startThread(this.setup), inFlight: new Map(), answered: false };
    slot.worker.on('message', (response: ThreadResponse) => {
      slot.answered = true;
      const task = slot.inFlight.get(response.id);
      slot.inFlight.delete(response.id);
      if ('error' in response) task?.reject(new Error(response.error));
      else task?.resolve(response.result);
      this.dispatch();
    });
    const lost = (error: Error) => {
      for (const task of slot.inFlight.values()) task.reject(error);
      slot.inFlight.clear();
      const at = this.slots.indexOf(slot);
      if (this.closed || at < 0) return;
      if (!slot.answered) {
        this.slots.splice(at, 1);
        this.broken = new Error(`a verify thread cannot start: ${error.message}`, { cause: error });
        for (const task of this.queue.splice(0)) task.reject(this.broken);
        return;
      }
      this.slots[at] = this.startSlot();
      this.dispatch();
    };
    slot.worker.on('error', lost);
    slot.worker.on('exit', (code) => lost(new Error(`a verify thread stopped (exit code ${code})`)));
    return slot;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      while (slot.inFlight.size < this.perThread && this.queue.length) {
        const task = this.queue.shift()!;
        const id = this.nextId++;
        slot.inFlight.set(id, task);
        slot.worker.postMessage({ id, ...task.request } satisfies ThreadRequest);
      }
    }
  }
}
