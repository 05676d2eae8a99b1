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
  /** The tasks of these groups, a designer's sandbox left out, in the worklist's order. */
  search(query: UserTaskQuery): Promise<TaskRow[]>;
  get(key: string): Promise<TaskRow | undefined>;
  /** `allowOverride`: take it from its holder (a transfer), else 409 when someone holds it. */
  assign(key: string, assignee: string, allowOverride: boolean): Promise<void>;
  unassign(key: string): Promise<void>;
  regroup(key: string, candidateGroups: string[]): Promise<void>;
}

export interface UserTaskQuery {
  groups: string[] | 'all';
  state: TaskState;
  assignee?: string;
  matter?: string;
  dueBefore?: Date;
  limit: number;
}
