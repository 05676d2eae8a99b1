import { expect } from 'chai';
import { systemClock } from '../../../server/clock';
import { giveBackUnused } from '../../../server/engine/embedded/instance-steps';
import { JobDispatcher } from '../../../server/engine/embedded/job-dispatcher';
import { createLogger } from '../../../server/log';
import { complete } from '../../../workers/worker';

describe('job slots reserved for jobs a step creates', () => {
  const dispatcher = () => {
    const d = new JobDispatcher({} as never, systemClock, createLogger('silent'), async () => {});
    d.register({ type: 'ocr', maxConcurrent: 2, handler: async () => complete() });
    return d;
  };

  it('runs out when every slot is reserved, and a release gives one back', () => {
    const d = dispatcher();
    expect(d.reserve('ocr')).to.not.equal(undefined);
    expect(d.reserve('ocr')).to.not.equal(undefined);
    expect(d.reserve('ocr')).to.equal(undefined);
    d.release('ocr');
    expect(d.reserve('ocr')).to.not.equal(undefined);
  });

  it('should NOT keep the slot of a job whose row was already there (skipped on insert)', () => {
    const d = dispatcher();
    const reserved: string[] = [];
    for (let i = 0; i < 2; i++) if (d.reserve('ocr')) reserved.push('ocr');
    const onlyOneInserted = { committed: { reservedJobs: [{ type: 'ocr' }] } } as never;
    giveBackUnused(d, reserved, onlyOneInserted);
    expect(d.reserve('ocr'), 'the skipped job gave its slot back').to.not.equal(undefined);
    expect(d.reserve('ocr')).to.equal(undefined);
  });
});
