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
  waiting: string[];
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

export type ActivatedJob = JobRow & { bpmn_process_id: string; version: number };

/** Reserves a worker slot in this process for a job about to be created (it is then inserted activated). */
export type Reserve = (type: string) => { worker: string; deadline: Date } | undefined;

/** A job answered by its worker: the write that makes the answer count, once. */
export interface JobClaim {
  jobKey: string;
  activation: number;
  to: 'completed' | 'error_thrown';
}

export interface Committed {
  /** Jobs left for the poller (no worker here had room). */
  newJobs: { key: string; type: string }[];
  /** Jobs inserted activated under a reservation, ready for their worker. */
  reservedJobs: ActivatedJob[];
  newTaskKeys: string[];
  newSubscriptions: { key: string; messageName: string; correlationKey: string; executionId: string }[];
  cancelledTaskKeys: string[];
}

/** A timer's execution id is its boundary or catch event's id plus a suffix. */
function liveIn(waiting: Waiting[]): (executionId: string) => boolean {
  const ids = new Set(waiting.map((w) => w.executionId));
  return (id) => ids.has(id) || waiting.some((w) => id.startsWith(`${w.executionId}_`));
}

/** Whether a wait state other than the one the action answered has ended (a boundary event fired, a branch was cut). */
export function somethingEnded(before: string[], outcome: StepOutcome, action: Action): boolean {
  if (outcome.state === 'completed') return true;
  const target = action.kind === 'start' ? undefined : action.executionId;
  const now = new Set(outcome.waiting.map((w) => w.executionId));
  return before.some((id) => !now.has(id) && id !== target && !(target && target.startsWith(`${id}_`)));
}

/** A PostgreSQL array literal, for a parameter cast to text[]. */
export function toTextArray(values: string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}

export const stateColumns = (outcome: StepOutcome, now: Date) => ({
  engine_state: outcome.state === 'completed' ? null : outcome.engineState,
  variables: JSON.stringify(outcome.variables),
  state: outcome.state,
  active_elements: outcome.waiting.map((w) => w.elementId),
  waiting: outcome.waiting.map((w) => w.executionId),
  ended_at: outcome.state === 'completed' ? now : null,
});

/** A step's new jobs as rows, without their instance's key (a statement that makes the instance gives it there). */
export function jobRows(outcome: StepOutcome, now: Date, reserve: Reserve, reserved: string[]): Vars[] {
  return outcome.jobs.map((j) => {
    const slot = reserve(j.type);
    if (slot) reserved.push(j.type);
    return {
      element_id: j.elementId,
      element_instance_id: j.executionId,
      type: j.type,
      headers: j.headers,
      variables: j.variables,
      retries: Number.isInteger(j.retries) && j.retries > 0 ? j.retries : 3,
      state: slot ? 'activated' : 'activatable',
      activation: slot ? 1 : 0,
      worker: slot?.worker ?? null,
      deadline: slot?.deadline.toISOString() ?? null,
      created_at: now.toISOString(),
    };
  });
}

export function committedJobs(instance: InstanceRow, jobs: JobRow[]): Pick<Committed, 'newJobs' | 'reservedJobs'> {
  return {
    newJobs: jobs.filter((j) => j.state === 'activatable').map((j) => ({ key: String(j.key), type: j.type })),
    reservedJobs: jobs
      .filter((j) => j.state === 'activated')
      .map((j) => ({ ...j, bpmn_process_id: instance.bpmn_process_id, version: instance.version })),
  };
}

export async function insertInstance(
  trx: Knex.Transaction,
  row: Omit<InstanceRow, 'key' | 'engine_state' | 'revision' | 'ended_at'>,
  outcome: StepOutcome,
  now: Date,
): Promise<InstanceRow> {
  const columns =
    outcome.state === 'incident' ? { state: 'incident', engine_state: null, waiting: [], active_elements: [] } : stateColumns(outcome, now);
  const [inserted] = await trx('process_instances')
    .insert({ ...row, ...columns, revision: 1 })
    .returning('*');
  return inserted;
}

/** Writes one step's new state and its wait states, and retires the rows of wait states that ended. */
export async function commitStep(
  trx: Knex.Transaction,
  instance: InstanceRow,
  outcome: StepOutcome,
  now: Date,
  action: Action,
  reserve: Reserve,
  reserved: string[],
): Promise<Committed> {
  await trx('process_instances')
    .where({ key: instance.key })
    .update({ ...stateColumns(outcome, now), revision: instance.revision + 1 });
  let cancelledTaskKeys: string[] = [];
  if (outcome.state === 'completed') {
    cancelledTaskKeys = await retireAll(trx, instance.key, now);
  } else if (somethingEnded(instance.waiting ?? [], outcome, action)) {
    const live = liveIn(outcome.waiting);
    const retire = async (table: string, states: string[], to: string, extra: Vars = {}): Promise<string[]> => {
      const rows = await trx(table).where({ instance_key: instance.key }).whereIn('state', states).select('key', 'element_instance_id');
      const gone = rows
        .filter((r: { element_instance_id: string }) => !live(r.element_instance_id))
        .map((r: { key: string }) => String(r.key));
      if (gone.length)
        await trx(table)
          .whereIn('key', gone)
          .update({ state: to, ...extra });
      return gone;
    };
    await retire('jobs', ['activatable', 'activated'], 'cancelled', { ended_at: now });
    cancelledTaskKeys = await retire('tasks', ['created'], 'cancelled', { completed_at: now });
    await retire('timers', ['armed'], 'cancelled');
    await retire('message_subscriptions', ['open'], 'closed');
  }
  return { ...(await insertWaits(trx, instance, outcome, now, reserve, reserved)), cancelledTaskKeys };
}

/** Job rows for a knex insert: jsonb columns as JSON text. */
const asColumns = (rows: Vars[]) => rows.map((r) => ({ ...r, headers: JSON.stringify(r.headers), variables: JSON.stringify(r.variables) }));

/** An instance that ended leaves nothing open: its jobs, tasks, timers and subscriptions retired in one statement. */
async function retireAll(trx: Knex.Transaction, instanceKey: string, now: Date): Promise<string[]> {
  const result = await trx.raw(
    `with jobs as (update jobs set state = 'cancelled', ended_at = ? where instance_key = ? and state in ('activatable', 'activated') returning key),
          tasks as (update tasks set state = 'cancelled', completed_at = ? where instance_key = ? and state = 'created' returning key),
          timers as (update timers set state = 'cancelled' where instance_key = ? and state = 'armed' returning key),
          subscriptions as (update message_subscriptions set state = 'closed' where instance_key = ? and state = 'open' returning key)
     select coalesce((select json_agg(key) from tasks), '[]'::json) as tasks`,
    [now, instanceKey, now, instanceKey, instanceKey, instanceKey],
  );
  const tasks = result.rows[0].tasks;
  return ((typeof tasks === 'string' ? JSON.parse(tasks) : tasks) as (string | number)[]).map(String);
}

/** The new jobs, user tasks, timers and subscriptions of a step. */
export async function insertWaits(
  trx: Knex.Transaction,
  instance: InstanceRow,
  outcome: StepOutcome,
  now: Date,
  reserve: Reserve,
  reserved: string[],
): Promise<Omit<Committed, 'cancelledTaskKeys'>> {
  const insert = async <T>(table: string, rows: Vars[]): Promise<T[]> => {
    if (!rows.length) return [];
    return (await trx(table).insert(rows).onConflict(['instance_key', 'element_instance_id']).ignore().returning('*')) as T[];
  };
  const jobs = await insert<JobRow>(
    'jobs',
    asColumns(jobRows(outcome, now, reserve, reserved).map((row) => ({ instance_key: instance.key, ...row }))),
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
    ...committedJobs(instance, jobs),
    newTaskKeys: tasks.map((t) => String(t.key)),
    newSubscriptions: subscriptions.map((s) => ({
      key: String(s.key),
      messageName: s.message_name,
      correlationKey: s.correlation_key,
      executionId: s.element_instance_id,
    })),
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
