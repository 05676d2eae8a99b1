import { expect } from 'chai';
import { OcrPool, OcrPoolClosed, OcrQueueFull, OcrTimeout, type PooledEngine, type Recognition } from '../../../workers/ocr/index';

/** An engine that answers after `ms`, or never when the job asks it to hang. */
class FakeEngine implements PooledEngine {
  static started = 0;
  terminated = false;
  constructor(readonly id = ++FakeEngine.started) {}
  async recognize(image: Buffer): Promise<Recognition> {
    if (this.terminated) throw new Error('terminated');
    if (image.toString() === 'hang') await new Promise(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 20));
    return { text: `read by ${this.id}`, confidence: 90, lines: [] };
  }
  async terminate(): Promise<void> {
    this.terminated = true;
  }
}

describe('OCR pool', () => {
  let engines: FakeEngine[];
  const pool = (options: { size?: number; maxQueue?: number; timeoutMs?: number } = {}) => {
    engines = [];
    return new OcrPool({
      ...options,
      startEngine: async () => {
        const engine = new FakeEngine();
        engines.push(engine);
        return engine;
      },
    });
  };
  const read = (p: OcrPool, what = 'image') => p.submit(async (engine) => (await engine.recognize(Buffer.from(what))).text);

  it('starts no worker until a job comes, then reuses the ones it started', async () => {
    const p = pool({ size: 2 });
    expect(p.stats()).to.include({ size: 2, started: 0, busy: 0, queued: 0 });
    await Promise.all([read(p), read(p), read(p), read(p)]);
    expect(engines).to.have.length(2);
    expect(p.stats()).to.include({ started: 2, completed: 4, busy: 0 });
    await p.close();
  });

  it('refuses a job at once with OcrQueueFull when every worker is busy and the queue is full', async () => {
    const p = pool({ size: 1, maxQueue: 1 });
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    // The worker is held until the gate opens: a job that waited for it could not settle before.
    const held = () => p.submit(async (engine) => (await gate, (await engine.recognize(Buffer.from('image'))).text));
    const running = held();
    const queued = held();
    expect(p.stats()).to.include({ busy: 1, queued: 1 });
    const gateOpened = new Promise<'gate opened'>((resolve) => setImmediate(() => (open(), resolve('gate opened'))));
    const first = await Promise.race([read(p).catch((e: unknown) => e), gateOpened]);
    expect(first, 'refused before the worker was let go')
      .to.be.instanceOf(OcrQueueFull)
      .and.include({ code: 'OCR_QUEUE_FULL', queued: 1, limit: 1 });
    expect(() => p.assertCapacity()).to.throw(OcrQueueFull);
    await gateOpened;
    await Promise.all([running, queued]);
    expect(p.stats()).to.include({ rejected: 2, completed: 2 });
    await p.close();
  });

  it('rejects a job that runs past its time with OcrTimeout, terminates its worker and starts another for the next job', async () => {
    const p = pool({ size: 1, timeoutMs: 50 });
    const error = await read(p, 'hang').catch((e: unknown) => e);
    expect(error).to.be.instanceOf(OcrTimeout).and.include({ code: 'OCR_TIMEOUT', timeoutMs: 50 });
    expect(engines[0].terminated).to.equal(true);
    expect(await read(p)).to.equal(`read by ${engines[1].id}`);
    expect(p.stats()).to.include({ timedOut: 1, completed: 1, started: 1 });
    await p.close();
  });

  it('lets one job have its own time limit', async () => {
    const p = pool({ size: 1, timeoutMs: 10_000 });
    const error = await p.submit((engine) => engine.recognize(Buffer.from('hang')), { timeoutMs: 30 }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(OcrTimeout);
    await p.close();
  });

  it('aborts the signal of a job past its time limit, with its OcrTimeout, so what it started elsewhere stops too', async () => {
    const p = pool({ size: 1, timeoutMs: 30 });
    let seen: AbortSignal | undefined;
    const error = await p.submit((engine, signal) => ((seen = signal), engine.recognize(Buffer.from('hang')))).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(OcrTimeout);
    expect(seen?.aborted).to.equal(true);
    expect(seen?.reason).to.equal(error);
    let kept: AbortSignal | undefined;
    await p.submit(async (engine, signal) => ((kept = signal), engine.recognize(Buffer.from('image'))));
    expect(kept?.aborted, 'a job done in time').to.equal(false);
    await p.close();
  });

  it('on close refuses the queued jobs, terminates its workers and refuses new jobs', async () => {
    const p = pool({ size: 1, maxQueue: 5 });
    const running = read(p);
    const queued = read(p).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await p.close();
    expect(await queued).to.be.instanceOf(OcrPoolClosed);
    expect(engines.every((e) => e.terminated)).to.equal(true);
    expect(await read(p).catch((e: unknown) => e)).to.be.instanceOf(OcrPoolClosed);
    await running.catch(() => undefined);
  });

  it('answers a job whose worker failed to start with OcrEngineFailed, and tries again for the next', async () => {
    let attempts = 0;
    const p = new OcrPool({
      size: 1,
      startEngine: async () => {
        if (++attempts === 1) throw new Error('no trained data');
        return new FakeEngine();
      },
    });
    const error = await read(p).catch((e: unknown) => e);
    expect(error).to.include({ code: 'OCR_ENGINE_FAILED' });
    expect(await read(p)).to.match(/^read by/);
    await p.close();
  });
});
