import type { Knex } from 'knex';
import type { EnginePort } from '../engine/port';
import type { NoticeTemplate } from '../../workers/notify/templates';
import { userTasksOf } from './task-source';

/** A task's priority (0-100, as Camunda user tasks have it): 50 as made; raised at 80% of its time, raised more once overdue. */
export const DEFAULT_PRIORITY = 50;
export const DUE_SOON_PRIORITY = 75;
export const OVERDUE_PRIORITY = 90;

/** The department's reminders that raise the priority of the case's open task (the process's 80% and due-date timers). */
const PRIORITY_OF_NOTICE: Partial<Record<NoticeTemplate, number>> = {
  'review-due-soon': DUE_SOON_PRIORITY,
  'task-due-soon': DUE_SOON_PRIORITY,
  'task-overdue': OVERDUE_PRIORITY,
};

/**
 * Priority up (优先办理): once the reminder of a case's task has gone to the department, its open tasks rise to the
 * reminder's priority (never down), in the `tasks` table or through the engine's user-task API; the worklist sorts and
 * filters by it.
 */
export async function raisePriorityOnNotice(
  deps: { knex: Knex; engine: EnginePort },
  notice: { applicationId: string; template: NoticeTemplate },
): Promise<number> {
  const priority = PRIORITY_OF_NOTICE[notice.template];
  if (priority === undefined) return 0;
  const remote = userTasksOf(deps.engine);
  if (remote) return remote.raisePriority(notice.applicationId, priority);
  return deps
    .knex('tasks')
    .where({ application_id: notice.applicationId, state: 'created', sandbox: false })
    .where('priority', '<', priority)
    .update({ priority });
}
