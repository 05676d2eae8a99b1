/** Calendar days as YYYY-MM-DD, reckoned in UTC so that no time zone moves them. */
export type Day = string;

const toDate = (day: Day) => new Date(`${day}T00:00:00Z`);
const toDay = (date: Date): Day => date.toISOString().slice(0, 10);

export function addDays(day: Day, days: number): Day {
  const d = toDate(day);
  d.setUTCDate(d.getUTCDate() + days);
  return toDay(d);
}

/** Feb 29 plus a year is Mar 1, as licence validity is counted. */
export function addYears(day: Day, years: number): Day {
  const d = toDate(day);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return toDay(d);
}

export function daysBetween(from: Day, to: Day): number {
  return Math.round((toDate(to).getTime() - toDate(from).getTime()) / 86_400_000);
}

/** The calendar day in China (UTC+8) at that instant. */
export function chinaDay(instant: Date): Day {
  return toDay(new Date(instant.getTime() + 8 * 3600_000));
}
