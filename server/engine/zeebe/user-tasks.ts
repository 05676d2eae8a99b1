import { conflict } from '../../errors';
import { DEFAULT_PRIORITY } from '../../worklist/priorities';
import type { TaskRow, UserTaskQuery, UserTaskSource } from '../../worklist/task-source';
import type { Variables } from '../../../workers/worker';
import { parseVariable, type OrchestrationApi } from './rest';

interface CamundaUserTask {
  userTaskKey: string;
  processInstanceKey: string;
  elementId: string;
  name?: string;
  state: string;
  assignee?: string;
  candidateGroups?: string[];
  dueDate?: string;
  creationDate: string;
  completionDate?: string;
  formKey?: string;
  priority?: number;
}

interface CamundaVariable {
  name: string;
  value: string;
  scopeKey: string;
  processInstanceKey: string;
}

/** What the worklist reads of the task's process instance (root scope). */
const INSTANCE_VARIABLES = ['applicationId', 'sandbox', 'warnAt'];

const STATE: Record<string, TaskRow['state']> = {
  CREATING: 'created',
  CREATED: 'created',
  ASSIGNING: 'created',
  UPDATING: 'created',
  COMPLETING: 'completed',
  COMPLETED: 'completed',
  CANCELING: 'cancelled',
  CANCELED: 'cancelled',
  FAILED: 'cancelled',
};

/**
 * The worklist's tasks on Zeebe: Camunda user tasks, read, assigned and completed through the Orchestration Cluster
 * REST API (`/v2/user-tasks`). Camunda decides races: an assignment without `allowOverride` to a task someone holds
 * is refused (409), a second completion too. A designer's sandbox tasks are filtered out in the search itself.
 */
export class ZeebeUserTasks implements UserTaskSource {
  constructor(
    private readonly api: OrchestrationApi,
    /** Form key → form id, told by deployments; an older form's id is asked of the task. */
    private readonly formIds: Map<string, string>,
  ) {}

  async search(query: UserTaskQuery): Promise<{ tasks: TaskRow[]; total: number; endCursor: string | null }> {
    if (query.groups !== 'all' && !query.groups.length) return { tasks: [], total: 0, endCursor: null };
    const done = query.state === 'done';
    const filter: Record<string, unknown> = {
      state: done ? 'COMPLETED' : 'CREATED',
      processInstanceVariables: [
        { name: 'sandbox', value: 'false' },
        ...(query.matter ? [{ name: 'matterSlug', value: JSON.stringify(query.matter) }] : []),
        ...(query.application ? [{ name: 'applicationId', value: JSON.stringify(query.application) }] : []),
      ],
    };
    if (query.groups !== 'all') filter.candidateGroup = { $in: query.groups };
    if (query.assignee) filter.assignee = query.assignee;
    else if (query.state === 'claimed') filter.assignee = { $exists: true };
    if (query.dueBefore) filter.dueDate = { $lt: query.dueBefore.toISOString() };
    if (query.minPriority !== undefined) filter.priority = { $gte: query.minPriority };
    const sort = done
      ? [{ field: 'completionDate', order: 'DESC' }]
      : [
          ...(query.byPriority ? [{ field: 'priority', order: 'DESC' }] : []),
          { field: 'dueDate', order: 'ASC' },
          { field: 'creationDate', order: 'ASC' },
        ];
    // Cursor paging (`page.after`): Camunda's own cursor of the page before.
    const page = { limit: query.limit, ...(query.after ? { after: query.after } : {}) };
    const found = await this.api.search<CamundaUserTask>('user-tasks', { filter, sort, page });
    return {
      tasks: await this.rows(found.items),
      total: found.page?.totalItems ?? found.items.length,
      endCursor: found.page?.endCursor ?? null,
    };
  }

  async get(key: string): Promise<TaskRow | undefined> {
    const { items } = await this.api.search<CamundaUserTask>('user-tasks', { filter: { userTaskKey: key }, page: { from: 0, limit: 1 } });
    return (await this.rows(items))[0];
  }

  /** `allowOverride` only when the caller saw the task held (a transfer): a claim never takes a task from its holder. */
  async assign(key: string, assignee: string, allowOverride: boolean): Promise<void> {
    try {
      await this.api.send(
        'POST',
        `user-tasks/${key}/assignment`,
        { assignee, allowOverride, action: allowOverride ? 'assign' : 'claim' },
        'user task',
      );
    } catch (error) {
      if ((error as { status?: number }).status !== 409) throw error;
      const now = await this.get(key);
      throw conflict(now?.assignee ? `这项待办已由${now.assignee}认领` : '这项待办刚刚已有变化，请刷新', {
        assignee: now?.assignee ?? null,
      });
    }
  }

  unassign(key: string): Promise<void> {
    return this.api.send('DELETE', `user-tasks/${key}/assignee`, undefined, 'user task');
  }

  regroup(key: string, candidateGroups: string[]): Promise<void> {
    return this.api.send('PATCH', `user-tasks/${key}`, { changeset: { candidateGroups }, action: 'transfer' }, 'user task');
  }

  async raisePriority(applicationId: string, priority: number): Promise<number> {
    const { items } = await this.api.search<CamundaUserTask>('user-tasks', {
      filter: {
        state: 'CREATED',
        priority: { $lt: priority },
        processInstanceVariables: [{ name: 'applicationId', value: JSON.stringify(applicationId) }],
      },
      page: { limit: 100 },
    });
    for (const task of items)
      await this.api.send('PATCH', `user-tasks/${task.userTaskKey}`, { changeset: { priority }, action: 'escalate' }, 'user task');
    return items.length;
  }

  async complete(key: string, variables: Variables): Promise<void> {
    try {
      await this.api.send('POST', `user-tasks/${key}/completion`, { variables, action: 'complete' }, 'user task');
    } catch (error) {
      if ((error as { status?: number }).status === 409) throw conflict(`task ${key} is no longer waiting`);
      throw error;
    }
  }

  private async rows(items: CamundaUserTask[]): Promise<TaskRow[]> {
    if (!items.length) return [];
    const instances = [...new Set(items.map((t) => t.processInstanceKey))];
    const { items: found } = await this.api.search<CamundaVariable>('variables', {
      filter: { processInstanceKey: { $in: instances }, name: { $in: INSTANCE_VARIABLES } },
      page: { from: 0, limit: instances.length * INSTANCE_VARIABLES.length },
    });
    const variables = new Map<string, Variables>();
    for (const v of found) {
      if (v.scopeKey !== v.processInstanceKey) continue;
      const of = variables.get(v.processInstanceKey) ?? {};
      of[v.name] = parseVariable(v.value);
      variables.set(v.processInstanceKey, of);
    }
    return Promise.all(
      items.map(async (task) => {
        const vars = variables.get(task.processInstanceKey) ?? {};
        const state = STATE[task.state] ?? 'cancelled';
        return {
          key: task.userTaskKey,
          instance_key: task.processInstanceKey,
          element_id: task.elementId,
          name: task.name ?? null,
          candidate_groups: task.candidateGroups ?? [],
          assignee: task.assignee ?? null,
          due_date: task.dueDate ? new Date(task.dueDate) : null,
          form_key: await this.formId(task),
          priority: task.priority ?? DEFAULT_PRIORITY,
          application_id: typeof vars.applicationId === 'string' ? vars.applicationId : null,
          sandbox: vars.sandbox === true,
          state,
          variables: typeof vars.warnAt === 'string' ? { warnAt: vars.warnAt } : {},
          completed_by: state === 'completed' ? (task.assignee ?? null) : null,
          created_at: new Date(task.creationDate),
          completed_at: task.completionDate ? new Date(task.completionDate) : null,
        };
      }),
    );
  }

  private async formId(task: CamundaUserTask): Promise<string | null> {
    if (!task.formKey) return null;
    const known = this.formIds.get(task.formKey);
    if (known) return known;
    const form = await this.api.json<{ formId?: string }>('GET', `user-tasks/${task.userTaskKey}/form`, undefined, 'user task form');
    if (form.formId) this.formIds.set(task.formKey, form.formId);
    return form.formId ?? null;
  }
}
