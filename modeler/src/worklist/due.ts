import type { TaskSummary } from './types';

export type DueState = 'overdue' | 'warn' | 'ok' | 'none';

/** Share of the time limit after which a task is "near its due date" when the process gives no `warnAt` (JOBS.md: 80 %). */
const WARN_SHARE = 0.8;

/**
 * Where a task stands against its due date: past it (the server says so), past its warning time (`warnAt`, or 80 % of
 * the time from its creation to its due date), or in time.
 */
export function dueStateOf(task: Pick<TaskSummary, 'dueDate' | 'warnAt' | 'createdAt' | 'overdue' | 'state'>, now = Date.now()): DueState {
  if (task.state === 'done' || !task.dueDate) return 'none';
  const due = Date.parse(task.dueDate);
  if (task.overdue || now > due) return 'overdue';
  const created = task.createdAt ? Date.parse(task.createdAt) : due;
  const warn = task.warnAt ? Date.parse(task.warnAt) : created + (due - created) * WARN_SHARE;
  return now >= warn ? 'warn' : 'ok';
}

export const DUE_TEXT: Record<DueState, string> = { overdue: '已超期', warn: '临近期限', ok: '', none: '' };
