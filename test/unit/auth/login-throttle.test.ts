import { expect } from 'chai';
import { THROTTLE, delayAfter } from '../../../server/auth/login-throttle';

describe('auth: login throttle delays', () => {
  it('lets the first failures through at once, then waits longer after each, up to a cap of a few seconds', () => {
    const delays = Array.from({ length: 12 }, (_, failures) => delayAfter(failures));
    expect(delays.slice(0, THROTTLE.freeFailures)).to.deep.equal([0, 0, 0]);
    expect(delays.slice(3, 8)).to.deep.equal([250, 500, 1000, 2000, 3000]);
    expect(Math.max(...delays)).to.equal(THROTTLE.maxDelayMs);
    expect(THROTTLE.maxDelayMs).to.be.at.most(5000);
  });
});
