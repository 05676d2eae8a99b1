import { dateOfDay, dayNumber, weekday, yearOf, type LocalDate } from './local-date';

/** One year of the State Council's holiday notice: days off and the weekend days made working days (调休). */
export interface HolidayYear {
  provisional: boolean;
  source: string;
  holidays: { name: string; from: LocalDate; to: LocalDate }[];
  workdays: { date: LocalDate; for: string }[];
}

export interface HolidayData {
  timeZone: 'Asia/Shanghai';
  years: Record<string, HolidayYear>;
}

export type DayInput = LocalDate | number;

const toDay = (date: DayInput): number => (typeof date === 'number' ? date : dayNumber(date));

/**
 * Working days in mainland China: Monday to Friday, minus public holidays, plus the weekend days adjusted into working
 * days. A year the data does not cover counts Monday to Friday and is reported provisional, like a year flagged so.
 */
export class WorkingCalendar {
  private readonly holidays = new Map<number, string>();
  private readonly workdays = new Map<number, string>();
  private readonly provisionalYears = new Set<number>();
  private readonly coveredYears = new Set<number>();

  constructor(data: HolidayData) {
    for (const [year, entry] of Object.entries(data.years)) {
      this.coveredYears.add(Number(year));
      if (entry.provisional) this.provisionalYears.add(Number(year));
      for (const holiday of entry.holidays) {
        for (let day = dayNumber(holiday.from); day <= dayNumber(holiday.to); day++) this.holidays.set(day, holiday.name);
      }
      for (const workday of entry.workdays) this.workdays.set(dayNumber(workday.date), workday.for);
    }
  }

  isWorkingDay(date: DayInput): boolean {
    const day = toDay(date);
    if (this.workdays.has(day)) return true;
    if (this.holidays.has(day)) return false;
    const dow = weekday(day);
    return dow !== 0 && dow !== 6;
  }

  /** The holiday a day belongs to (春节…), if any. */
  holidayName(date: DayInput): string | undefined {
    return this.holidays.get(toDay(date));
  }

  /** Whether the day's status is a guess: its year is flagged provisional or not in the data at all. */
  isProvisional(date: DayInput): boolean {
    const year = yearOf(toDay(date));
    return this.provisionalYears.has(year) || !this.coveredYears.has(year);
  }

  /**
   * The n-th working day after `date` (limits count from the day after acceptance); before it for a negative n;
   * `date` itself for 0.
   */
  addWorkingDays(date: DayInput, n: number): LocalDate {
    if (!Number.isInteger(n)) throw new RangeError(`working days to add must be a whole number, got ${n}`);
    const step = n < 0 ? -1 : 1;
    let day = toDay(date);
    for (let counted = 0; counted < Math.abs(n);) {
      day += step;
      if (this.isWorkingDay(day)) counted++;
    }
    return dateOfDay(day);
  }

  /** Working days after `from` up to and including `to`; negative when `to` is before `from`. */
  workingDaysBetween(from: DayInput, to: DayInput): number {
    const [a, b] = [toDay(from), toDay(to)];
    const [low, high, sign] = a <= b ? [a, b, 1] : [b, a, -1];
    let count = 0;
    for (let day = low + 1; day <= high; day++) if (this.isWorkingDay(day)) count++;
    return sign * count;
  }
}
