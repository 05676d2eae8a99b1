import { expect } from 'chai';
import path from 'node:path';
import { computeTimeLimit, type TimeLimitInput } from '../../../server/calendar/time-limit';
import { loadMatters } from '../../../server/matters/catalog';

const calendar = loadMatters(path.resolve('processes')).calendar;
const at = (shanghaiTime: string) => new Date(`${shanghaiTime}+08:00`);
const limit = (input: Partial<TimeLimitInput> & Pick<TimeLimitInput, 'start' | 'days'>) =>
  computeTimeLimit(calendar, { unit: 'working-day', now: input.start, ...input });
const endOf = (date: string) => at(`${date}T23:59:59.999`).toISOString();

describe('time limits in working days', () => {
  describe('given no pause', () => {
    it('across 春节 2026: the make-up Saturday counts, the nine days off do not', () => {
      const result = limit({ start: at('2026-02-13T10:00:00'), days: 5 });
      expect(result.lastDay).to.equal('2026-02-27');
      expect(result.dueDate.toISOString()).to.equal('2026-02-27T15:59:59.999Z');
      expect(result.warnAt.toISOString(), '80% = the end of the 4th day').to.equal(endOf('2026-02-26'));
      expect(result).to.include({ pausedDays: 0, running: true, provisional: false });
    });

    it('across 中秋 and 国庆 2026: the make-up Sunday before and the make-up Saturday after both count', () => {
      expect(limit({ start: at('2026-09-18T09:00:00'), days: 10 }).lastDay).to.equal('2026-10-09');
      const twenty = limit({ start: at('2026-09-18T09:00:00'), days: 20 });
      expect(twenty.lastDay).to.equal('2026-10-22');
      expect(twenty.warnAt.toISOString()).to.equal(endOf('2026-10-16'));
    });

    it('warns at 80% of the time inside a day when the share is not whole days', () => {
      expect(limit({ start: at('2026-03-02T11:00:00'), days: 3 }).warnAt.toISOString()).to.equal(at('2026-03-05T09:36:00').toISOString());
      expect(limit({ start: at('2026-03-02T11:00:00'), days: 1 }).warnAt.toISOString()).to.equal(at('2026-03-03T19:12:00').toISOString());
      expect(limit({ start: at('2026-03-02T11:00:00'), days: 1, warnPercent: 100 }).warnAt.toISOString()).to.equal(endOf('2026-03-03'));
    });

    it('counts calendar days when the limit is in calendar days, holidays included', () => {
      expect(limit({ start: at('2026-09-30T10:00:00'), days: 3, unit: 'calendar-day' }).lastDay).to.equal('2026-10-03');
    });
  });

  describe('given the boundary at midnight Shanghai time', () => {
    it('an application at 23:59:59.999 on Friday 13 February counts from the make-up Saturday', () => {
      expect(limit({ start: new Date('2026-02-13T15:59:59.999Z'), days: 1 }).dueDate.toISOString()).to.equal('2026-02-14T15:59:59.999Z');
    });

    it('one a millisecond later is on that Saturday and counts from after 春节', () => {
      expect(limit({ start: new Date('2026-02-13T16:00:00.000Z'), days: 1 }).dueDate.toISOString()).to.equal('2026-02-24T15:59:59.999Z');
    });

    it('a pause ending at 00:00 takes that day out; one ending a millisecond before does not', () => {
      const start = at('2026-03-02T09:00:00');
      const from = at('2026-03-03T10:00:00');
      const toMidnight = limit({ start, days: 5, pauses: [{ from, to: new Date('2026-03-04T16:00:00.000Z') }] });
      const toJustBefore = limit({ start, days: 5, pauses: [{ from, to: new Date('2026-03-04T15:59:59.999Z') }] });
      expect(toMidnight.lastDay).to.equal('2026-03-11');
      expect(toMidnight.pausedDays).to.equal(2);
      expect(toJustBefore.lastDay).to.equal('2026-03-10');
      expect(toJustBefore.pausedDays).to.equal(1);
    });
  });

  describe('given pauses (corrections, confirmation, suspension)', () => {
    const start = at('2026-09-28T09:00:00');

    it('a correction pause spanning 国庆 stops only the working days it covers', () => {
      const without = limit({ start, days: 5 });
      expect(without.lastDay).to.equal('2026-10-10');
      const paused = limit({ start, days: 5, pauses: [{ from: at('2026-09-29T10:00:00'), to: at('2026-10-09T15:00:00') }] });
      expect(paused.pausedDays, '30 Sep, 8 and 9 Oct').to.equal(3);
      expect(paused.lastDay).to.equal('2026-10-14');
      expect(calendar.workingDaysBetween(without.lastDay, paused.lastDay)).to.equal(3);
      expect(paused.running).to.equal(true);
    });

    it('a pause that starts and ends on the same day changes nothing', () => {
      const paused = limit({ start, days: 5, pauses: [{ from: at('2026-09-29T09:00:00'), to: at('2026-09-29T17:00:00') }] });
      expect(paused.lastDay).to.equal('2026-10-10');
      expect(paused.pausedDays).to.equal(0);
    });

    it('a pause within the holidays changes nothing', () => {
      const paused = limit({ start, days: 5, pauses: [{ from: at('2026-10-02T09:00:00'), to: at('2026-10-06T17:00:00') }] });
      expect(paused.lastDay).to.equal('2026-10-10');
    });

    it('an open pause holds the clock until now, and the due date moves while it stays open', () => {
      const open = { from: at('2026-09-29T10:00:00') };
      const onTheNinth = limit({ start, days: 5, pauses: [open], now: at('2026-10-09T15:00:00') });
      expect(onTheNinth.lastDay).to.equal('2026-10-14');
      expect(onTheNinth.running).to.equal(false);
      const onTheTwelfth = limit({ start, days: 5, pauses: [open], now: at('2026-10-12T10:00:00') });
      expect(onTheTwelfth.lastDay).to.equal('2026-10-16');
      expect(onTheTwelfth.pausedDays, '30 Sep, 8, 9, 10 and 12 Oct').to.equal(5);
    });

    it('two pauses add up, and overlapping pauses count each day once', () => {
      const two = limit({
        start: at('2026-03-02T09:00:00'),
        days: 5,
        pauses: [
          { from: at('2026-03-03T09:00:00'), to: at('2026-03-04T09:00:00') },
          { from: at('2026-03-05T09:00:00'), to: at('2026-03-06T09:00:00') },
        ],
      });
      expect(two.pausedDays).to.equal(2);
      expect(two.lastDay).to.equal('2026-03-11');
      const overlapping = limit({
        start: at('2026-03-02T09:00:00'),
        days: 5,
        pauses: [
          { from: at('2026-03-03T09:00:00'), to: at('2026-03-05T09:00:00') },
          { from: at('2026-03-04T09:00:00'), to: at('2026-03-05T18:00:00') },
        ],
      });
      expect(overlapping.pausedDays).to.equal(2);
    });

    it('a correction before acceptance counts from the day after the corrections came', () => {
      const result = limit({
        start: at('2026-03-02T09:00:00'),
        days: 1,
        pauses: [{ from: at('2026-03-02T16:00:00'), to: at('2026-03-05T09:00:00') }],
      });
      expect(result.lastDay).to.equal('2026-03-06');
    });
  });

  describe('given an extension (延期)', () => {
    it('adds its working days after the limit, across the make-up Saturday of 28 February', () => {
      const result = limit({ start: at('2026-02-13T10:00:00'), days: 5, extensionDays: 10 });
      expect(result.lastDay).to.equal('2026-03-12');
      expect(result.warnAt.toISOString(), '80% of 15 days = end of the 12th').to.equal(endOf('2026-03-09'));
    });

    it('with a pause as well', () => {
      const result = limit({
        start: at('2026-09-28T09:00:00'),
        days: 5,
        extensionDays: 2,
        pauses: [{ from: at('2026-09-29T10:00:00'), to: at('2026-10-09T15:00:00') }],
      });
      expect(result.lastDay).to.equal('2026-10-16');
    });
  });

  describe('given the provisional 2027 calendar', () => {
    it('says so when the limit reaches into it', () => {
      const result = limit({ start: at('2026-12-21T09:00:00'), days: 20 });
      expect(result.provisional).to.equal(true);
      expect(result.lastDay).to.equal('2027-01-19');
    });

    it('counts the 2027 Spring Festival by the usual pattern', () => {
      expect(limit({ start: at('2027-02-04T09:00:00'), days: 2 }).lastDay).to.equal('2027-02-15');
    });
  });

  it('should NOT take a limit of no days or a share outside 1 to 100', () => {
    expect(() => limit({ start: at('2026-03-02T09:00:00'), days: 0 })).to.throw(RangeError);
    expect(() => limit({ start: at('2026-03-02T09:00:00'), days: 5, warnPercent: 0 })).to.throw(RangeError);
    expect(() => limit({ start: at('2026-03-02T09:00:00'), days: 5, warnPercent: 101 })).to.throw(RangeError);
  });
});
