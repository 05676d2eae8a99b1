/**
 * Calendar dates in Asia/Shanghai, as `YYYY-MM-DD` strings and as day numbers (days since 1970-01-01) for arithmetic.
 * China has kept UTC+8 without daylight saving since 1991, so a fixed offset gives the same day boundaries as tzdata.
 */
export type LocalDate = string;

export const DAY_MS = 86_400_000;
const OFFSET_MS = 8 * 3_600_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLocalDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const date = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return date.getUTCFullYear() === +m[1] && date.getUTCMonth() === +m[2] - 1 && date.getUTCDate() === +m[3];
}

export function dayNumber(date: LocalDate): number {
  if (!isLocalDate(date)) throw new RangeError(`not a calendar date: "${date}"`);
  return Date.parse(`${date}T00:00:00Z`) / DAY_MS;
}

export const dateOfDay = (day: number): LocalDate => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** The Shanghai day an instant falls on. */
export const shanghaiDay = (instant: Date): number => Math.floor((instant.getTime() + OFFSET_MS) / DAY_MS);

export const shanghaiDate = (instant: Date): LocalDate => dateOfDay(shanghaiDay(instant));

/** 00:00 Shanghai time of a day. */
export const startOfDay = (day: number): Date => new Date(day * DAY_MS - OFFSET_MS);

/** The last millisecond of a day in Shanghai (23:59:59.999). */
export const endOfDay = (day: number): Date => new Date((day + 1) * DAY_MS - OFFSET_MS - 1);

/** 0 = Sunday … 6 = Saturday. */
export const weekday = (day: number): number => (((day + 4) % 7) + 7) % 7;

export const yearOf = (day: number): number => new Date(day * DAY_MS).getUTCFullYear();
