import { expect } from 'chai';
import sharp from 'sharp';
import { checkFileOpens } from '../../../server/applications/file-check';
import { DecodeSlots, uploadDecodeSlots } from '../../../server/images/decode-slots';

describe('DecodeSlots: images decoded at once at upload', () => {
  it('runs no more decodes at once than its size, the rest in turn, each answering its own result', async () => {
    const slots = new DecodeSlots(2);
    let running = 0;
    let most = 0;
    const decode = (n: number) =>
      slots.run(async () => {
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
        return n;
      });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => decode(i)));
    expect(results).to.deep.equal(Array.from({ length: 20 }, (_, i) => i));
    expect(most).to.equal(2);
    expect(slots.stats()).to.deep.equal({ running: 0, waiting: 0, size: 2 });
  });

  it('should NOT keep a slot when a decode fails: the error reaches its caller and the next one runs', async () => {
    const slots = new DecodeSlots(1);
    const failing = slots.run(async () => {
      throw new Error('corrupt');
    });
    const next = slots.run(async () => 'decoded');
    expect(await failing.catch((e: Error) => e.message)).to.equal('corrupt');
    expect(await next).to.equal('decoded');
    expect(slots.stats().running).to.equal(0);
  });

  it('the checks at upload decode twenty images at once no more than the cores at a time', async () => {
    const png = await sharp({ create: { width: 3000, height: 2000, channels: 3, background: '#d0c8b0' } })
      .png()
      .toBuffer();
    const seen = { running: 0, waiting: 0 };
    const sampler = setInterval(() => {
      const { running, waiting } = uploadDecodeSlots.stats();
      seen.running = Math.max(seen.running, running);
      seen.waiting = Math.max(seen.waiting, waiting);
    }, 1);
    try {
      const checks = Array.from({ length: 20 }, (_, i) => checkFileOpens(png, 'png', { name: `${i}.png` }));
      expect(await Promise.all(checks)).to.have.length(20);
    } finally {
      clearInterval(sampler);
    }
    expect(seen.running).to.be.within(1, uploadDecodeSlots.size);
    expect(seen.waiting, 'checks queued for a slot').to.be.above(0);
    expect(uploadDecodeSlots.stats()).to.include({ running: 0, waiting: 0 });
  });
});
