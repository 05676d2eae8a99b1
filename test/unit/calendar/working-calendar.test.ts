import { expect } from 'chai';
import path from 'node:path';
import { dateOfDay, dayNumber, endOfDay, shanghaiDate, startOfDay, weekday } from '../../../server/calendar/local-date';
import { loadMatters } from '../../../server/matters/catalog';

const calendar = loadMatters(path.resolve('processes')).calendar;

const range = (from: string, to: string) => {
  const days: string[] = [];
  for (let d = dayNumber(from); d <= dayNumber(to); d++) days.push(dateOfDay(d));
  return days;
};

describe('working calendar (processes/common/holidays.json)', () => {
  describe('2026 as the State Council published it', () => {
    const holidays: [string, string, string][] = [
      ['元旦', '2026-01-01', '2026-01-03'],
      ['春节', '2026-02-15', '2026-02-23'],
      ['清明节', '2026-04-04', '2026-04-06'],
      ['劳动节', '2026-05-01', '2026-05-05'],
      ['端午节', '2026-06-19', '2026-06-21'],
      ['中秋节', '2026-09-25', '2026-09-27'],
      ['国庆节', '2026-10-01', '2026-10-07'],
    ];
    for (const [name, from, to] of holidays) {
      it(`${name} ${from} to ${to}: every day off, named`, () => {
        for (const day of range(from, to)) {
          expect(calendar.isWorkingDay(day), day).to.equal(false);
          expect(calendar.holidayName(day), day).to.equal(name);
        }
      });
    }

    it('the adjusted weekend days (调休) are working days', () => {
      for (const day of ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']) {
        expect([0, 6]).to.include(weekday(dayNumber(day)));
        expect(calendar.isWorkingDay(day), day).to.equal(true);
      }
    });

    it('ordinary weekdays work and ordinary weekends rest', () => {
      expect(calendar.isWorkingDay('2026-03-02')).to.equal(true);
      expect(calendar.isWorkingDay('2026-03-07')).to.equal(false);
      expect(calendar.isWorkingDay('2026-03-08')).to.equal(false);
      expect(calendar.holidayName('2026-03-07')).to.equal(undefined);
    });

    it('has 248 working days in the year, 16 in February and 18 in October', () => {
      expect(calendar.workingDaysBetween('2025-12-31', '2026-12-31')).to.equal(248);
      expect(calendar.workingDaysBetween('2026-01-31', '2026-02-28')).to.equal(16);
      expect(calendar.workingDaysBetween('2026-09-30', '2026-10-31')).to.equal(18);
    });

    it('is not provisional', () => {
      expect(calendar.isProvisional('2026-06-01')).to.equal(false);
    });
  });

  describe('2027 (provisional until the notice)', () => {
    it('is flagged provisional, and so is a year the data does not cover', () => {
      expect(calendar.isProvisional('2027-03-01')).to.equal(true);
      expect(calendar.isProvisional('2028-03-01')).to.equal(true);
    });

    it('has a Spring Festival from 除夕 and its make-up Sunday', () => {
      expect(range('2027-02-05', '2027-02-13').every((d) => !calendar.isWorkingDay(d))).to.equal(true);
      expect(calendar.isWorkingDay('2027-02-14')).to.equal(true);
    });

    it('counts weekdays only in an uncovered year', () => {
      expect(calendar.isWorkingDay('2028-01-03')).to.equal(true);
      expect(calendar.isWorkingDay('2028-01-01')).to.equal(false);
    });
  });

  describe('adding working days', () => {
    it('across 春节 2026: the make-up Saturday first, then after the break', () => {
      expect(calendar.addWorkingDays('2026-02-13', 1)).to.equal('2026-02-14');
      expect(calendar.addWorkingDays('2026-02-13', 2)).to.equal('2026-02-24');
      expect(calendar.addWorkingDays('2026-02-13', 6)).to.equal('2026-02-28');
    });

    it('across 中秋 and 国庆 2026 with the make-up Sunday and Saturday', () => {
      expect(calendar.addWorkingDays('2026-09-18', 1)).to.equal('2026-09-20');
      expect(calendar.addWorkingDays('2026-09-24', 1)).to.equal('2026-09-28');
      expect(calendar.addWorkingDays('2026-09-30', 1)).to.equal('2026-10-08');
      expect(calendar.addWorkingDays('2026-09-30', 3)).to.equal('2026-10-10');
      expect(calendar.addWorkingDays('2026-09-30', 4)).to.equal('2026-10-12');
    });

    it('counts from the next day even when the start is a holiday; 0 is the day itself', () => {
      expect(calendar.addWorkingDays('2026-10-03', 1)).to.equal('2026-10-08');
      expect(calendar.addWorkingDays('2026-10-03', 0)).to.equal('2026-10-03');
    });

    it('goes back for a negative count', () => {
      expect(calendar.addWorkingDays('2026-10-08', -1)).to.equal('2026-09-30');
      expect(calendar.addWorkingDays('2026-02-24', -2)).to.equal('2026-02-13');
    });

    it('should NOT accept a fraction of a day', () => {
      expect(() => calendar.addWorkingDays('2026-03-02', 1.5)).to.throw(RangeError);
    });

    it('is the inverse of counting between two dates', () => {
      for (const start of ['2026-01-30', '2026-02-13', '2026-09-18', '2026-12-28']) {
        for (const n of [1, 5, 20]) expect(calendar.workingDaysBetween(start, calendar.addWorkingDays(start, n))).to.equal(n);
      }
      expect(calendar.workingDaysBetween('2026-02-24', '2026-02-13')).to.equal(-2);
    });
  });

  describe('days in Asia/Shanghai', () => {
    it('starts a day at 16:00 UTC of the day before', () => {
      expect(shanghaiDate(new Date('2026-02-13T15:59:59.999Z'))).to.equal('2026-02-13');
      expect(shanghaiDate(new Date('2026-02-13T16:00:00.000Z'))).to.equal('2026-02-14');
      expect(startOfDay(dayNumber('2026-02-14')).toISOString()).to.equal('2026-02-13T16:00:00.000Z');
      expect(endOfDay(dayNumber('2026-02-14')).toISOString()).to.equal('2026-02-14T15:59:59.999Z');
    });

    it('should NOT take an impossible date', () => {
      expect(() => dayNumber('2026-02-30')).to.throw(RangeError);
      expect(() => calendar.isWorkingDay('2026-13-01')).to.throw(RangeError);
    });
  });
});
