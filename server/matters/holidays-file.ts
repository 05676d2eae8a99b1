import { z } from 'zod';
import { dayNumber, isLocalDate, weekday } from '../calendar/local-date';
import { WorkingCalendar, type HolidayData } from '../calendar/working-calendar';
import { readDataFile } from './data-file';

const localDate = z.string().refine(isLocalDate, 'a date is YYYY-MM-DD and exists');

const yearSchema = z.strictObject({
  provisional: z.boolean(),
  source: z.string().trim().min(1),
  holidays: z.array(z.strictObject({ name: z.string().trim().min(1), from: localDate, to: localDate })).min(1),
  workdays: z.array(z.strictObject({ date: localDate, for: z.string().trim().min(1) })),
});

export const holidayFileSchema = z
  .strictObject({
    timeZone: z.literal('Asia/Shanghai'),
    years: z.record(z.string().regex(/^\d{4}$/, 'a year has four digits'), yearSchema),
  })
  .superRefine((data, ctx) => {
    // zod still runs this when a date above failed: such entries were reported there, so they are skipped here.
    const valid = (...dates: string[]) => dates.every(isLocalDate);
    const holidayDays = new Set<number>();
    for (const [year, entry] of Object.entries(data.years)) {
      entry.holidays.forEach((h, i) => {
        if (!valid(h.from, h.to)) return;
        if (dayNumber(h.from) > dayNumber(h.to))
          ctx.addIssue({ code: 'custom', path: ['years', year, 'holidays', i, 'to'], message: 'ends before it starts' });
        for (let day = dayNumber(h.from); day <= dayNumber(h.to); day++) holidayDays.add(day);
      });
    }
    for (const [year, entry] of Object.entries(data.years)) {
      entry.workdays.forEach((w, i) => {
        if (!valid(w.date)) return;
        const path = ['years', year, 'workdays', i, 'date'];
        const dow = weekday(dayNumber(w.date));
        if (dow !== 0 && dow !== 6)
          ctx.addIssue({ code: 'custom', path, message: `${w.date} is a weekday: only a Saturday or Sunday is made a working day` });
        if (holidayDays.has(dayNumber(w.date))) ctx.addIssue({ code: 'custom', path, message: `${w.date} is also listed as a holiday` });
      });
    }
  });

/** The holiday calendar of `processes/common/holidays.json`, validated like a matter file. */
export function loadHolidayCalendar(file: string): WorkingCalendar {
  return new WorkingCalendar(readDataFile(file, holidayFileSchema, 'holiday calendar') as HolidayData);
}
