/** A worklist task as the worklist reads it, and where it reads it from on an engine that keeps its own tasks. */

export interface TaskRow {
  key: string;
  instance_key: string;
  element_id: string;
  name: string | null;
  candidate_groups: string[];
  assignee: string | null;
  due_date: Date | null;
  /** When 80% of the time is used (`zeebe:taskSchedule followUpDate="=warnAt"`). */
  follow_up_date?: Date | null;
  form_key: string | null;
  /** 0-100, 50 unless raised (Camunda user tasks' `priority`): 80% of the time used raises it, overdue more. */
  priority: number;
  application_id: string | null;
  sandbox: boolean;
  state: 'created' | 'completed' | 'cancelled';
  variables: Record<string, unknown>;
  completed_by: string | null;
  created_at: Date;
  completed_at: Date | null;
}

export type TaskState = 'open' | 'claimed' | 'done';

/**
 * The tasks of an engine that keeps its user tasks itself (Zeebe: Camunda's user-task API), in place of the embedded
 * engine's `tasks` table. The engine decides races: an assignment to a task someone else holds is refused with 409.
 */
export interface UserTaskSource {
  /** A page of the tasks of these groups, a designer's sandbox left out, in the worklist's order; the engine's own cursor. */
  search(query: UserTaskQuery): Promise<{ tasks: TaskRow[]; total: number; endCursor: string | null }>;
  get(key: string): Promise<TaskRow | undefined>;
  /** `allowOverride`: take it from its holder (a transfer), else 409 when someone holds it. */
  assign(key: string, assignee: string, allowOverride: boolean): Promise<void>;
  unassign(key: string): Promise<void>;
  regroup(key: string, candidateGroups: string[]): Promise<void>;
  /** Raises the open tasks of the application to this priority (never lowers one); how many it raised. */
  raisePriority(applicationId: string, priority: number): Promise<number>;
}

/** The engine's own user tasks, when it keeps them (Zeebe); the embedded engine's are the `tasks` table. */
export const userTasksOf = (engine: object): UserTaskSource | undefined => (engine as { userTasks?: UserTaskSource }).userTasks;

export interface UserTaskQuery {
  groups: string[] | 'all';
  state: TaskState;
  assignee?: string;
  matter?: string;
  /** Only the tasks of this application. */
  application?: string;
  dueBefore?: Date;
  minPriority?: number;
  /** Most urgent first: priority, then due date. */
  byPriority?: boolean;
  limit: number;
  /** The engine's cursor of the page before. */
  after?: string;
}
