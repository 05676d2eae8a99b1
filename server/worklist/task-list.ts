import type { Knex } from 'knex';
import type { Principal } from '../auth/principal';
import type { Clock } from '../clock';
import type { MatterCatalog } from '../matters/catalog';
import { maskName } from '../masking';
import { STATUS_TEXT, type ApplicationStatus } from '../applications/statuses';
import { groupsOf } from './groups';
import { DEFAULT_PRIORITY } from './priorities';
import { encodeCursor, engineCursor, keysetCursor, pageSize } from './paging';
import type { TaskRow, TaskState, UserTaskSource } from './task-source';

export interface TaskFilter {
  state?: TaskState;
  assignee?: 'me';
  matter?: string;
  /** Only the tasks of this application (the page finding a case's open task). */
  application?: string;
  overdue?: boolean;
  /** Only tasks of at least this priority (0-100). */
  minPriority?: number;
  /** Open tasks by due date (the default) or the most urgent first: priority, then due date. */
  sort?: 'due' | 'priority';
  /** Tasks per page, 50 unless given, at most 500. */
  limit?: string | number;
  /** The `nextCursor` of the page before. */
  after?: string;
}

export type TaskSummary = ReturnType<TaskList['summary']>;

/** A page of the worklist: its tasks, how many match the filter in all, and where the next page starts (none on the last). */
export interface TaskPage {
  tasks: TaskSummary[];
  total: number;
  nextCursor: string | null;
}

export interface TaskListDeps {
  knex: Knex;
  clock: Clock;
  matters: MatterCatalog;
}

/** What a task's summary shows of its application and applicant. */
const APPLICATION_FIELDS = [
  'a.case_number',
  'a.matter_slug',
  'a.action',
  'a.status as application_status',
  'a.findings',
  'u.display_name as applicant_name',
];

const iso = (value: Date | string | null | undefined) => (value ? new Date(value).toISOString() : null);

/** The tasks a staff member may see: of their groups, not a designer's sandbox. */
export function visible(knex: Knex | Knex.Transaction, principal: Principal) {
  const groups = groupsOf(principal);
  const query = knex<TaskRow>('tasks as t').where('t.sandbox', false);
  if (groups !== 'all') query.whereRaw('t.candidate_groups && ?::text[]', [groups]);
  return query;
}

function stateOf(row: Pick<TaskRow, 'state' | 'assignee'>): TaskState {
  return row.state === 'created' ? (row.assignee ? 'claimed' : 'open') : 'done';
}

/**
 * The worklist's list (shared/API.md "Worklist"): pages of the caller's tasks in the list's order, each summarised with
 * its due date and its application at a glance (applicant masked), from the `tasks` table or the engine's own tasks.
 */
export class TaskList {
  constructor(
    private readonly deps: TaskListDeps,
    /** Set on Zeebe: the tasks are read through the engine, not in the `tasks` table. */
    private readonly remote: UserTaskSource | undefined,
  ) {}

  /** The visible tasks joined with their application and applicant, for the summaries. */
  withApplication(principal: Principal) {
    return visible(this.deps.knex, principal)
      .leftJoin('applications as a', 'a.id', 't.application_id')
      .leftJoin('users as u', 'u.id', 'a.applicant_id')
      .select('t.*', ...APPLICATION_FIELDS);
  }

  /** The applications and applicants of tasks read from the engine, as `withApplication` joins them. */
  async joinApplications(rows: TaskRow[]): Promise<(TaskRow & Record<string, any>)[]> {
    const ids = [...new Set(rows.map((r) => r.application_id).filter((id): id is string => Boolean(id)))];
    const found = ids.length
      ? await this.deps
          .knex('applications as a')
          .leftJoin('users as u', 'u.id', 'a.applicant_id')
          .whereIn('a.id', ids)
          .select('a.id', ...APPLICATION_FIELDS)
      : [];
    const byId = new Map(found.map(({ id, ...fields }: Record<string, any>) => [id, fields]));
    return rows.map((row) => ({ ...row, ...(byId.get(row.application_id) ?? {}) }));
  }

  /**
   * A page of the caller's tasks in the list's order (open: due date, none last, then key; `sort=priority`: priority
   * first; done: newest completion first, then key), after the cursor of the page before (keyset paging: a page is as
   * quick at the 10,000th task as at the first), with the true number of matching tasks.
   */
  async list(principal: Principal, filter: TaskFilter = {}): Promise<TaskPage> {
    const limit = pageSize(filter.limit);
    const state = filter.state ?? 'open';
    const order = state === 'done' ? 'done' : filter.sort === 'priority' ? 'priority' : 'due';
    if (this.remote) {
      const after = filter.after ? engineCursor(filter.after) : undefined;
      const found = await this.remote.search({
        groups: groupsOf(principal),
        state,
        assignee: filter.assignee === 'me' ? principal.id : undefined,
        matter: filter.matter,
        application: filter.application,
        dueBefore: filter.overdue ? this.deps.clock.now() : undefined,
        minPriority: filter.minPriority,
        byPriority: order === 'priority',
        limit,
        after: after?.engineCursor,
      });
      const seen = (after?.seen ?? 0) + found.tasks.length;
      return {
        tasks: (await this.joinApplications(found.tasks)).map((row) => this.summary(row)),
        total: found.total,
        nextCursor:
          found.endCursor && found.tasks.length && seen < found.total ? encodeCursor({ engineCursor: found.endCursor, seen }) : null,
      };
    }
    const { knex } = this.deps;
    const base = visible(knex, principal).leftJoin('applications as a', 'a.id', 't.application_id');
    if (state === 'done') base.where('t.state', 'completed');
    else base.where('t.state', 'created');
    if (state === 'claimed') base.whereNotNull('t.assignee');
    if (filter.assignee === 'me') base.where(state === 'done' ? 't.completed_by' : 't.assignee', principal.id);
    if (filter.matter) base.where('a.matter_slug', filter.matter);
    if (filter.application) base.where('t.application_id', filter.application);
    if (filter.overdue) base.where('t.due_date', '<', this.deps.clock.now());
    if (filter.minPriority !== undefined) base.where('t.priority', '>=', filter.minPriority);
    const [{ n }] = await base.clone().count({ n: '*' });

    const query = base
      .clone()
      .leftJoin('users as u', 'u.id', 'a.applicant_id')
      .select(
        't.*',
        ...APPLICATION_FIELDS,
        knex.raw('t.due_date::text as due_date_text'),
        knex.raw('t.completed_at::text as completed_at_text'),
      )
      .limit(limit + 1);
    const dueOrder = (q: Knex.QueryBuilder) => q.orderByRaw('t.due_date asc nulls last').orderBy('t.key');
    if (order === 'done') query.orderBy('t.completed_at', 'desc').orderBy('t.key');
    else if (order === 'priority') dueOrder(query.orderBy('t.priority', 'desc'));
    else dueOrder(query);
    if (filter.after) {
      const { values, key } = keysetCursor(filter.after, order);
      const at = (value: string | number | null) => knex.raw('?::timestamptz', [value]);
      const laterKey = knex.raw('?::bigint', [key]);
      // After (due, key) in "due date ascending, none last, then key".
      const afterDue = (w: Knex.QueryBuilder, due: string | number | null) =>
        due === null
          ? w.whereNull('t.due_date').where('t.key', '>', laterKey)
          : w.where((x) =>
              x
                .where('t.due_date', '>', at(due))
                .orWhere((y) => y.where('t.due_date', at(due)).where('t.key', '>', laterKey))
                .orWhereNull('t.due_date'),
            );
      if (order === 'done')
        query.where((w) =>
          w
            .where('t.completed_at', '<', at(values[0]))
            .orWhere((x) => x.where('t.completed_at', at(values[0])).where('t.key', '>', laterKey)),
        );
      else if (order === 'priority')
        query.where((w) =>
          w.where('t.priority', '<', Number(values[0])).orWhere((x) => afterDue(x.where('t.priority', Number(values[0])), values[1])),
        );
      else query.where((w) => afterDue(w, values[0]));
    }
    const rows = (await query) as (TaskRow & Record<string, any>)[];
    const more = rows.length > limit;
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      tasks: page.map((row) => this.summary(row)),
      total: Number(n),
      nextCursor:
        more && last
          ? encodeCursor({
              order,
              key: String(last.key),
              values:
                order === 'done'
                  ? [last.completed_at_text]
                  : order === 'priority'
                    ? [last.priority, last.due_date_text]
                    : [last.due_date_text],
            })
          : null,
    };
  }

  summary(row: TaskRow & Record<string, any>) {
    const matter = row.matter_slug ? this.deps.matters.get(row.matter_slug) : undefined;
    const warnAt = iso(row.follow_up_date) ?? (typeof row.variables?.warnAt === 'string' ? (row.variables.warnAt as string) : null);
    const now = this.deps.clock.now();
    return {
      id: String(row.key),
      name: row.name,
      elementId: row.element_id,
      candidateGroups: row.candidate_groups,
      assignee: row.assignee,
      state: stateOf(row),
      formId: row.form_key,
      priority: row.priority ?? DEFAULT_PRIORITY,
      dueDate: iso(row.due_date),
      warnAt,
      overdue: row.state === 'created' && row.due_date !== null && new Date(row.due_date) < now,
      // 80% of the time used (the reminder has gone to the department): due soon, not yet overdue.
      dueSoon:
        row.state === 'created' && warnAt !== null && new Date(warnAt) <= now && !(row.due_date !== null && new Date(row.due_date) < now),
      createdAt: iso(row.created_at),
      completedAt: iso(row.completed_at),
      application: row.application_id
        ? {
            id: row.application_id,
            caseNumber: row.case_number ?? null,
            matter: row.matter_slug,
            matterName: matter?.name ?? row.matter_slug,
            action: row.action,
            actionName: matter?.actions[row.action as keyof typeof matter.actions]?.name ?? row.action,
            applicantName: row.applicant_name ? maskName(row.applicant_name) : null,
            status: row.application_status,
            statusText: STATUS_TEXT[row.application_status as ApplicationStatus] ?? row.application_status,
            blockingFindings: (row.findings ?? []).filter((f: { severity?: string }) => f.severity === 'block').length,
          }
        : null,
    };
  }
}
