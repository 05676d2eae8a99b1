import type { Action, StepOutcome } from './instance-runner';
import type { RunStatement } from './prepared';
import {
  committedJobs,
  jobRows,
  somethingEnded,
  stateColumns,
  toTextArray,
  type Committed,
  type InstanceRow,
  type JobClaim,
  type JobRow,
  type Reserve,
} from './store';

/** Whether a job's answer only led to more jobs or to the end: the single-statement commit applies. */
export function isPlainJobStep(instance: InstanceRow, outcome: StepOutcome, action: Action): boolean {
  if (
    action.kind !== 'complete-job' ||
    outcome.userTasks.length ||
    outcome.timers.length ||
    outcome.subscriptions.length ||
    outcome.calls.length
  ) {
    return false;
  }
  return outcome.state === 'completed' || (outcome.state === 'active' && !somethingEnded(instance.waiting ?? [], outcome, action));
}

/**
 * A plain job step in one statement: claim the answered job, store the new state, insert the next jobs, and when the
 * instance ended, retire whatever else was open. Nothing is written unless the claim holds (the job still activated
 * under that activation); undefined then.
 */
export async function commitJobStep(
  run: RunStatement,
  instance: InstanceRow,
  outcome: StepOutcome,
  claim: JobClaim,
  now: Date,
  reserve: Reserve,
  reserved: string[],
): Promise<Committed | undefined> {
  const state = stateColumns(outcome, now);
  const ended = outcome.state === 'completed';
  const [row] = await run(
    'engine-job-step',
    `with claim as (
       update jobs set state = ?, ended_at = ? where key = ? and state = 'activated' and activation = ? returning key
     ), instance as (
       update process_instances
          set engine_state = ?::jsonb, variables = ?::jsonb, state = ?, active_elements = ?::text[], waiting = ?::text[],
              ended_at = ?::timestamptz, revision = revision + 1
        where key = ? and exists (select 1 from claim) returning key
     ), inserted as (
       insert into jobs (instance_key, element_id, element_instance_id, type, headers, variables, retries, state, activation, worker, deadline, created_at)
       select (select key from instance), element_id, element_instance_id, type, headers, variables, retries, state, activation, worker, deadline, created_at
         from jsonb_to_recordset(?::jsonb) as x(element_id text, element_instance_id text, type text, headers jsonb,
              variables jsonb, retries int, state text, activation int, worker text, deadline timestamptz, created_at timestamptz)
        where exists (select 1 from instance)
       on conflict (instance_key, element_instance_id) do nothing
       returning *
     ), other_jobs as (
       update jobs set state = 'cancelled', ended_at = ? where ? and instance_key = ? and key <> ? and state in ('activatable', 'activated')
          and exists (select 1 from instance) returning key
     ), tasks as (
       update tasks set state = 'cancelled', completed_at = ? where ? and instance_key = ? and state = 'created' and exists (select 1 from instance) returning key
     ), timers as (
       update timers set state = 'cancelled' where ? and instance_key = ? and state = 'armed' and exists (select 1 from instance) returning key
     ), subscriptions as (
       update message_subscriptions set state = 'closed' where ? and instance_key = ? and state = 'open' and exists (select 1 from instance) returning key
     )
     select (select count(*) from claim)::int as claimed,
            coalesce((select json_agg(inserted) from inserted), '[]'::json) as jobs,
            coalesce((select json_agg(key) from tasks), '[]'::json) as cancelled_tasks`,
    [
      claim.to,
      now,
      claim.jobKey,
      claim.activation,
      state.engine_state,
      state.variables,
      state.state,
      toTextArray(state.active_elements),
      toTextArray(state.waiting),
      state.ended_at,
      instance.key,
      JSON.stringify(jobRows(outcome, now, reserve, reserved)),
      now,
      ended,
      instance.key,
      claim.jobKey,
      now,
      ended,
      instance.key,
      ended,
      instance.key,
      ended,
      instance.key,
    ],
  );
  if (!row.claimed) return undefined;
  const parse = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);
  const jobs = parse(row.jobs) as JobRow[];
  const cancelledTaskKeys = (parse(row.cancelled_tasks) as (string | number)[]).map(String);
  return { ...committedJobs(instance, jobs), newTaskKeys: [], newSubscriptions: [], cancelledTaskKeys };
}
