import { DAY_MS, dateOfDay, endOfDay, shanghaiDay, startOfDay, type LocalDate } from './local-date';
import type { WorkingCalendar } from './working-calendar';

export type TimeUnit = 'working-day' | 'calendar-day';

/** An interval during which the clock stops (corrections, a second party's confirmation, a suspension); open while `to` is absent. */
export interface ClockPause {
  from: Date;
  to?: Date;
}

export interface TimeLimitInput {
  /** Acceptance: the limit counts from the next day. */
  start: Date;
  days: number;
  unit: TimeUnit;
  pauses?: ClockPause[];
  /** Extra days granted by an extension (延期), in the same unit. */
  extensionDays?: number;
  /** Where an open pause ends for now: the result assumes the clock starts again today. */
  now: Date;
  /** Share of the time after which to warn, in percent (1–100). */
  warnPercent?: number;
}

export interface TimeLimit {
  dueDate: Date;
  warnAt: Date;
  /** The last day of the limit. */
  lastDay: LocalDate;
  /** Days of the unit that a pause took out of the count. */
  pausedDays: number;
  /** False while a pause is open: the due date then moves with every day the pause lasts. */
  running: boolean;
  /** Some day counted lies in a year whose holidays are not yet published. */
  provisional: boolean;
}

// A limit that cannot end within this many days is a data error, not a deadline.
const SEARCH_LIMIT_DAYS = 3 * 366;

/**
 * The due date of a time limit. Days count from the day after acceptance, each until its end (23:59:59.999 Shanghai).
 * A pause takes out the days after the one it starts on, up to and including the one it ends on: the day a pause
 * starts has already run, and counting starts again the day after it ends, as it does after acceptance.
 * `warnAt` is when `warnPercent` (80) of the limit's time, counted in whole counted days, has passed.
 */
export function computeTimeLimit(calendar: WorkingCalendar, input: TimeLimitInput): TimeLimit {
  const total = input.days + (input.extensionDays ?? 0);
  if (!Number.isInteger(total) || total < 1) throw new RangeError(`a time limit needs at least one day, got ${total}`);
  const warnPercent = input.warnPercent ?? 80;
  if (!Number.isInteger(warnPercent) || warnPercent < 1 || warnPercent > 100)
    throw new RangeError(`warnPercent must be 1 to 100, got ${warnPercent}`);
  const nowDay = shanghaiDay(input.now);
  const stopped = (input.pauses ?? []).map((p) => {
    const from = shanghaiDay(p.from);
    return { after: from, through: p.to ? shanghaiDay(p.to) : Math.max(from, nowDay) };
  });
  const isPaused = (day: number) => stopped.some((s) => day > s.after && day <= s.through);
  const counts = (day: number) => input.unit === 'calendar-day' || calendar.isWorkingDay(day);

  const counted: number[] = [];
  let pausedDays = 0;
  let provisional = false;
  const startDay = shanghaiDay(input.start);
  for (let day = startDay + 1; counted.length < total; day++) {
    if (day - startDay > SEARCH_LIMIT_DAYS) throw new RangeError(`a limit of ${total} days does not end within ${SEARCH_LIMIT_DAYS} days`);
    if (!counts(day)) continue;
    if (isPaused(day)) {
      pausedDays++;
      continue;
    }
    counted.push(day);
    provisional ||= input.unit === 'working-day' && calendar.isProvisional(day);
  }

  const last = counted[counted.length - 1];
  // Whole milliseconds: total days × 86 400 000 × percent / 100 is an integer for any whole percent.
  const warnAfterMs = (total * DAY_MS * warnPercent) / 100;
  const fullDays = Math.floor(warnAfterMs / DAY_MS);
  const rest = warnAfterMs - fullDays * DAY_MS;
  const warnAt = rest === 0 ? endOfDay(counted[Math.max(fullDays - 1, 0)]) : new Date(startOfDay(counted[fullDays]).getTime() + rest);

  return {
    dueDate: endOfDay(last),
    warnAt,
    lastDay: dateOfDay(last),
    pausedDays,
    running: (input.pauses ?? []).every((p) => p.to),
    provisional,
  };
}
