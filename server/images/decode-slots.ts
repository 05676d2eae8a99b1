import os from 'node:os';

/**
 * At most as many images decoded at once as there are cores, outside the OCR pool too (the checks at upload): each
 * decode holds a bitmap, so twenty uploads at once must queue here rather than decode side by side.
 */
export class DecodeSlots {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly size = os.availableParallelism()) {}

  async run<T>(decode: () => Promise<T>): Promise<T> {
    if (this.running >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await decode();
    } finally {
      // The slot passes straight to the next in line, so `running` never drops below the decodes in hand.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  /** Decodes in hand and waiting, for the tests and the benchmarks. */
  stats(): { running: number; waiting: number; size: number } {
    return { running: this.running, waiting: this.waiting.length, size: this.size };
  }
}

/** The slots every upload check shares. */
export const uploadDecodeSlots = new DecodeSlots();
