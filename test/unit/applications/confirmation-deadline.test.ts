import path from 'node:path';
import { expect } from 'chai';
import { confirmationDeadline, shanghaiMinute } from '../../../server/applications/confirmations';
import { loadMatters } from '../../../server/matters/catalog';

const calendar = loadMatters(path.resolve('processes')).calendar;

describe("a second party's confirmation deadline", () => {
  it('is the calendar days after submission, rounded up to the whole minute the notice shows', () => {
    const submitted = new Date('2026-12-07T00:10:37.250Z');
    const due = confirmationDeadline(calendar, { value: 3, unit: 'calendar-day' }, submitted);
    expect(due.toISOString()).to.equal('2026-12-10T00:11:00.000Z');
    expect(shanghaiMinute(due)).to.equal('2026-12-10 08:11（北京时间）');
  });

  it('should NOT move an instant already on the minute', () => {
    const due = confirmationDeadline(calendar, { value: 3, unit: 'calendar-day' }, new Date('2026-12-07T16:00:00.000Z'));
    expect(due.toISOString()).to.equal('2026-12-10T16:00:00.000Z');
    expect(shanghaiMinute(due), 'past midnight in Beijing: the next day').to.equal('2026-12-11 00:00（北京时间）');
  });

  it('counts working days over the National Day holiday by the calendar, to the end of the last day in Beijing', () => {
    // Submitted on Tuesday 29 September 2026: 30 September, then the holiday (1 to 7 October), then 8 and 9 October.
    const due = confirmationDeadline(calendar, { value: 3, unit: 'working-day' }, new Date('2026-09-29T02:00:00Z'));
    expect(shanghaiMinute(due)).to.equal('2026-10-10 00:00（北京时间）');
  });
});
