import type { InboxColumns } from '../../audit/audit-log';
import type { StepOutcome } from './instance-runner';
import type { RunStatement } from './prepared';
import { committedJobs, jobRows, stateColumns, toTextArray, type Committed, type InstanceRow, type JobRow, type Reserve } from './store';

/** The columns of a new instance that its start decides (the rest come from the engine's first step). */
export type NewInstance = Pick<
  InstanceRow,
  'bpmn_process_id' | 'version' | 'resource_key' | 'parent_key' | 'parent_element_instance' | 'sandbox' | 'started_by' | 'started_at'
> & { variables: Record<string, unknown> };

/** A start whose first step only made jobs (or ended): the single-statement commit applies. */
export function isPlainStart(outcome: StepOutcome): boolean {
  return !outcome.incident && !outcome.userTasks.length && !outcome.timers.length && !outcome.subscriptions.length;
}

/**
 * A plain start in one statement: the instance, its first jobs and the audit entry of its start (whose entity is
 * the instance's new key). One round trip where a transaction took five.
 */
export async function commitPlainStart(
  run: RunStatement,
  fields: NewInstance,
  outcome: StepOutcome,
  now: Date,
  reserve: Reserve,
  reserved: string[],
  /** The audit entry of the start; its `entity_id` becomes the new key. */
  entry: InboxColumns,
): Promise<{ instance: InstanceRow; committed: Committed }> {
  const state = stateColumns(outcome, now);
  const [row] = await run(
    'engine-start',
    `with instance as (
       insert into process_instances (bpmn_process_id, version, resource_key, state, variables, engine_state, revision, active_elements,
              waiting, parent_key, parent_element_instance, sandbox, started_by, started_at, ended_at)
       values (?, ?, ?, ?, ?::jsonb, ?::jsonb, 1, ?::text[], ?::text[], ?::bigint, ?, ?, ?, ?::timestamptz, ?::timestamptz)
       returning key, bpmn_process_id, version, resource_key, state, revision, active_elements, waiting, parent_key, parent_element_instance,
                 sandbox, started_by, started_at, ended_at
     ), inserted as (
       insert into jobs (instance_key, element_id, element_instance_id, type, headers, variables, retries, state, activation, worker, deadline, created_at)
       select (select key from instance), element_id, element_instance_id, type, headers, variables, retries, state, activation, worker, deadline, created_at
         from jsonb_to_recordset(?::jsonb) as x(element_id text, element_instance_id text, type text, headers jsonb, variables jsonb, retries int,
              state text, activation int, worker text, deadline timestamptz, created_at timestamptz)
       returning *
     ), audited as (
       insert into audit_inbox (at, actor, action, entity_type, entity_id, data)
       select ?, ?, ?, ?, (select key from instance)::text, ? returning id
     )
     select row_to_json(instance) as instance,
            coalesce((select json_agg(inserted) from inserted), '[]'::json) as jobs,
            (select count(*) from audited)::int as audited
       from instance`,
    [
      fields.bpmn_process_id,
      fields.version,
      fields.resource_key,
      state.state,
      state.variables,
      state.engine_state,
      toTextArray(state.active_elements),
      toTextArray(state.waiting),
      fields.parent_key,
      fields.parent_element_instance,
      fields.sandbox,
      fields.started_by,
      fields.started_at,
      state.ended_at,
      JSON.stringify(jobRows(outcome, now, reserve, reserved)),
      entry.at,
      entry.actor,
      entry.action,
      entry.entity_type,
      entry.data,
    ],
  );
  const parse = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);
  const stored = parse(row.instance) as InstanceRow;
  const instance: InstanceRow = {
    ...stored,
    key: String(stored.key),
    parent_key: stored.parent_key === null ? null : String(stored.parent_key),
    variables: outcome.variables,
    engine_state: null,
    started_at: new Date(stored.started_at),
    ended_at: stored.ended_at ? new Date(stored.ended_at) : null,
  };
  const jobs = (parse(row.jobs) as JobRow[]).map((job) => ({ ...job, key: String(job.key), instance_key: String(job.instance_key) }));
  return { instance, committed: { ...committedJobs(instance, jobs), newTaskKeys: [], newSubscriptions: [], cancelledTaskKeys: [] } };
}
