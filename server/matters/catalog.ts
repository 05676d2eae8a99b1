import fs from 'node:fs';
import path from 'node:path';
import { WorkingCalendar } from '../calendar/working-calendar';
import { StartRefused } from '../start-refused';
import { readDataFile } from './data-file';
import { loadHolidayCalendar } from './holidays-file';
import { ACTIONS, matterSchema, type ActionId, type Matter } from './schema';

export const MATTER_FILE = 'matter.json';
export const HOLIDAYS_FILE = path.join('common', 'holidays.json');

/** The matters of `processes/`, checked at start, and the working-day calendar their time limits count in. */
export interface MatterCatalog {
  list(): Matter[];
  get(slug: string): Matter | undefined;
  calendar: WorkingCalendar;
}

/** One line of `GET /matters` (shared/API.md). */
export interface MatterSummary {
  slug: string;
  code: string;
  implementationCode: string;
  name: string;
  type: Matter['type'];
  department: { id: string; name: string };
  actions: ActionId[];
  autoApproval: Partial<Record<ActionId, boolean>>;
}

export function summarize(matter: Matter): MatterSummary {
  const actions = ACTIONS.filter((a) => matter.actions[a]);
  return {
    slug: matter.slug,
    code: matter.codes.basic,
    implementationCode: matter.codes.implementation,
    name: matter.name,
    type: matter.type,
    department: { id: matter.department.id, name: matter.department.name },
    actions,
    autoApproval: Object.fromEntries(actions.map((a) => [a, matter.actions[a]!.autoApproval])),
  };
}

/**
 * Reads `<dir>/<slug>/matter.json` for every matter folder and `<dir>/common/holidays.json`. A broken file stops the
 * start (StartRefused names the file and the field). Without a processes folder the catalog is empty and the calendar
 * knows only weekends, every day of it provisional.
 */
export function loadMatters(processesDir: string): MatterCatalog {
  const matters = new Map<string, Matter>();
  if (fs.existsSync(processesDir)) {
    for (const entry of fs.readdirSync(processesDir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const file = path.join(processesDir, entry.name, MATTER_FILE);
      if (!entry.isDirectory() || entry.name.startsWith('.') || !fs.existsSync(file)) continue;
      const matter = readDataFile(file, matterSchema, 'matter guide');
      if (matter.slug !== entry.name) {
        throw new StartRefused(
          `Not starting: ${file} is invalid. Fix this field and start again:\n  slug: "${matter.slug}" must equal its folder name "${entry.name}"`,
        );
      }
      matters.set(matter.slug, matter);
    }
  }
  const holidaysFile = path.join(processesDir, HOLIDAYS_FILE);
  let calendar: WorkingCalendar;
  if (fs.existsSync(holidaysFile)) calendar = loadHolidayCalendar(holidaysFile);
  else if (matters.size) {
    throw new StartRefused(
      `Not starting: ${holidaysFile} is missing; the time limits of the matters in ${processesDir} count working days by it.`,
    );
  } else calendar = new WorkingCalendar({ timeZone: 'Asia/Shanghai', years: {} });
  return {
    calendar,
    list: () => [...matters.values()],
    get: (slug) => matters.get(slug),
  };
}
