import type { Knex } from 'knex';
import type { Action, StepOutcome, Waiting } from './instance-runner';

type Vars = Record<string, unknown>;

export interface InstanceRow {
  key: string;
  bpmn_process_id: string;
  version: number;
  resource_key: string;
  state: 'active' | 'completed' | 'terminated' | 'incident';
  variables: Vars;
  engine_state: unknown;
  revision: number;
  active_elements: string[];
  parent_key: string | null;
  parent_element_instance: string | null;
  sandbox: boolean;
  started_by: string;
  started_at: Date;
  ended_at: Date | null;
}

export interface JobRow {
  key: string;
  instance_key: string;
  element_id: string;
  element_instance_id: string;
  type: string;
  headers: Record<string, string>;
  variables: Vars;
  retries: number;
  activation: number;
  state: string;
  deadline: Date | null;
}

/** The element executions still waiting; a timer's execution id is its boundary or catch event's id plus a suffix. */
function liveIn(waiting: Waiting[]): (executionId: string) => boolean {
  const ids = new Set(waiting.map((w) => w.executionId));
  return (id) => ids.has(id) || waiting.some((w) => id.startsWith(`${w.executionId}_`));
}

export interface Committed {
  newJobKeys: string[];
  newTaskKeys: string[];
  newSubscriptions: { key: string; messageName: string; correlationKey: string; executionId: string }[];
  cancelledTaskKeys: string[];
}

/** Writes one step's new state and its wait states, and retires the rows of wait states that ended. */
export async function commitStep(trx: Knex.Transaction, instance: InstanceRow, outcome: StepOutcome, now: Date): Promise<Committed> {
  const ended = outcome.state === 'completed';
  await trx('process_instances')
    .where({ key: instance.key })
    .update({
      engine_state: ended ? null : JSON.stringify(outcome.engineState),
      variables: JSON.stringify(outcome.variables),
      state: outcome.state,
      active_elements: outcome.waiting.map((w) => w.elementId),
      revision: instance.revision + 1,
      ended_at: ended ? now : null,
    });

  const live = liveIn(outcome.waiting);
  const open = (table: string, states: string[]) =>
    trx(table).where({ instance_key: instance.key }).whereIn('state', states).select('key', 'element_instance_id');
  const retire = async (table: string, states: string[], to: string, extra: Vars = {}) => {
    const rows = (await open(table, states)).filter((r: { element_instance_id: string }) => ended || !live(r.element_instance_id));
    if (rows.length) await trx(table).whereIn('key', rows.map((r: { key: string }) => r.key)).update({ state: to, ...extra });
    return rows.map((r: { key: string }) => String(r.key));
  };
  await retire('jobs', ['activatable', 'activated'], 'cancelled', { ended_at: now });
  const cancelledTaskKeys = await retire('tasks', ['created'], 'cancelled', { completed_at: now });
  await retire('timers', ['armed'], 'cancelled');
  await retire('message_subscriptions', ['open'], 'closed');

  const insert = async <T>(table: string, rows: Vars[]): Promise<T[]> => {
    if (!rows.length) return [];
    return (await trx(table).insert(rows).onConflict(['instance_key', 'element_instance_id']).ignore().returning('*')) as T[];
  };
  const jobs = await insert<{ key: string }>(
    'jobs',
    outcome.jobs.map((j) => ({
      instance_key: instance.key,
      element_id: j.elementId,
      element_instance_id: j.executionId,
      type: j.type,
      headers: JSON.stringify(j.headers),
      variables: JSON.stringify(j.variables),
      retries: Number.isInteger(j.retries) && j.retries > 0 ? j.retries : 3,
      state: 'activatable',
      created_at: now,
    })),
  );
  const tasks = await insert<{ key: string }>(
    'tasks',
    outcome.userTasks.map((t) => ({
      instance_key: instance.key,
      bpmn_process_id: instance.bpmn_process_id,
      element_id: t.elementId,
      element_instance_id: t.executionId,
      name: t.name,
      candidate_groups: t.candidateGroups,
      candidate_users: t.candidateUsers,
      assignee: t.assignee,
      due_date: t.dueDate,
      follow_up_date: t.followUpDate,
      form_key: t.formKey,
      application_id: typeof outcome.variables.applicationId === 'string' ? outcome.variables.applicationId : null,
      sandbox: instance.sandbox,
      state: 'created',
      variables: JSON.stringify({}),
      created_at: now,
    })),
  );
  await insert(
    'timers',
    outcome.timers.map((t) => ({
      instance_key: instance.key,
      element_id: t.elementId,
      element_instance_id: t.executionId,
      timer_type: t.timerType,
      expression: t.expression,
      due_at: t.dueAt,
      repetitions: t.repetitions,
      state: 'armed',
    })),
  );
  const subscriptions = await insert<{ key: string; message_name: string; correlation_key: string; element_instance_id: string }>(
    'message_subscriptions',
    outcome.subscriptions.map((s) => ({
      instance_key: instance.key,
      element_id: s.elementId,
      element_instance_id: s.executionId,
      message_name: s.messageName,
      correlation_key: s.correlationKey,
      sandbox: instance.sandbox,
      state: 'open',
    })),
  );
  return {
    newJobKeys: jobs.map((j) => String(j.key)),
    newTaskKeys: tasks.map((t) => String(t.key)),
    newSubscriptions: subscriptions.map((s) => ({
      key: String(s.key),
      messageName: s.message_name,
      correlationKey: s.correlation_key,
      executionId: s.element_instance_id,
    })),
    cancelledTaskKeys,
  };
}

/** An action that failed in the engine: the instance keeps its last good state; resolving the incident applies it again. */
export async function recordIncident(
  trx: Knex.Transaction,
  instance: InstanceRow,
  incident: NonNullable<StepOutcome['incident']>,
  trigger: Action | { kind: 'retry-job'; jobKey: string },
  jobKey: string | null,
  now: Date,
): Promise<string> {
  await trx('process_instances').where({ key: instance.key }).update({ state: 'incident' });
  const [row] = await trx('incidents')
    .insert({
      instance_key: instance.key,
      job_key: jobKey,
      element_id: incident.elementId,
      error_type: incident.errorType,
      error_message: incident.message.slice(0, 4000),
      trigger: JSON.stringify(trigger),
      state: 'open',
      created_at: now,
    })
    .returning('key');
  return String(row.key);
}

export async function loadInstance(db: Knex | Knex.Transaction, key: string): Promise<InstanceRow | undefined> {
  if (!/^\d{1,18}$/.test(key)) return undefined;
  return db('process_instances').where({ key }).first();
}
