import fs from 'node:fs';
import type { z } from 'zod';
import { StartRefused } from '../start-refused';

/** `actions.change.fields[3].prefill`: the path of a zod issue as a person finds it in the file. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('') || '(the whole file)';
}

const SHOWN_PROBLEMS = 20;

/** Reads and validates a JSON data file of the repository; anything wrong stops the start, naming the file and each field. */
export function readDataFile<S extends z.ZodType>(file: string, schema: S, what: string): z.output<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new StartRefused(
      `Not starting: ${file} (${what}) cannot be read as JSON: ${(error as Error).message}. Fix the file and start again.`,
    );
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.slice(0, SHOWN_PROBLEMS).map((issue) => `  ${formatPath(issue.path)}: ${issue.message}`);
  const more = parsed.error.issues.length - lines.length;
  if (more > 0) lines.push(`  … and ${more} more`);
  throw new StartRefused(`Not starting: ${file} (${what}) is invalid. Fix these fields and start again:\n${lines.join('\n')}`);
}
