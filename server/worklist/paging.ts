import { AppError } from '../errors';

/** The worklist's pages (shared/API.md "Worklist"): `limit` tasks after an opaque cursor, 50 unless asked, at most 500. */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/**
 * Where a page ends, to start the next one there. On the `tasks` table the sort values of its last task (keyset:
 * `values` in the list's order, then the key); on an engine's search its own cursor and how many tasks were read.
 */
export type TaskCursor = { order: string; values: (string | number | null)[]; key: string } | { engineCursor: string; seen: number };

const badCursor = () =>
  new AppError(400, 'VALIDATION_FAILED', '翻页位置无效，请从第一页重新查询', [
    { field: 'query.after', message: 'not a cursor of this list' },
  ]);

export const encodeCursor = (cursor: TaskCursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url');

function decodeCursor(text: string): unknown {
  try {
    return JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
}

/** A cursor of the `tasks` table's list in this order (a cursor of another order or of the engine's search is refused). */
export function keysetCursor(text: string, order: string): Extract<TaskCursor, { order: string }> {
  const c = decodeCursor(text) as Record<string, unknown> | null;
  if (
    c &&
    c.order === order &&
    typeof c.key === 'string' &&
    /^\d{1,18}$/.test(c.key) &&
    Array.isArray(c.values) &&
    c.values.every((v) => v === null || typeof v === 'string' || typeof v === 'number')
  )
    return c as Extract<TaskCursor, { order: string }>;
  throw badCursor();
}

/** A cursor of the engine's task search. */
export function engineCursor(text: string): Extract<TaskCursor, { engineCursor: string }> {
  const c = decodeCursor(text) as Record<string, unknown> | null;
  if (c && typeof c.engineCursor === 'string' && Number.isInteger(c.seen) && (c.seen as number) > 0)
    return c as Extract<TaskCursor, { engineCursor: string }>;
  throw badCursor();
}

/** The page size asked for: a whole number from 1 to 500, 50 when not given. */
export function pageSize(limit: string | number | undefined): number {
  if (limit === undefined || limit === '') return DEFAULT_PAGE_SIZE;
  const n = typeof limit === 'number' ? limit : /^\d{1,4}$/.test(limit) ? Number(limit) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE)
    throw new AppError(400, 'VALIDATION_FAILED', `每页条数应为1至${MAX_PAGE_SIZE}`, [
      { field: 'query.limit', message: `1..${MAX_PAGE_SIZE}` },
    ]);
  return n;
}
