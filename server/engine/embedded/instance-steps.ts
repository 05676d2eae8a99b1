import type { Knex } from 'knex';
import type { AuditLog } from '../../audit/audit-log';
import type { Clock } from '../../clock';
import type { Logger } from '../../log';
import type { Variables } from '../../../workers/worker';
import type { EngineEvent, InstanceStarted, StartInstance } from '../port';
import type { Definitions } from './definitions';
import type { Action, OpenSession, Session, StepOutcome } from './instance-runner';
import type { JobDispatcher } from './job-dispatcher';
import { KeyedLock } from './keyed-lock';
import { LiveSessions } from './live-sessions';
import type { RunStatement } from './prepared';
import { commitJobStep, isPlainJobStep } from './job-step';
import { commitPlainStart, isPlainStart, type NewInstance } from './start-step';
import {
  commitStep,
  insertInstance,
  insertWaits,
  loadInstance,
  recordIncident,
  type Committed,
  type InstanceRow,
  type JobClaim,
} from './store';

export type Trigger = Action | { kind: 'retry-job'; jobKey: string };

export interface StepOptions {
  /** The write that makes the action count (a task completed, a timer fired), in the step's transaction. */
  claim?: (trx: Knex.Transaction) => Promise<void>;
  /** A worker's answer: claimed on the job row, in one statement with the step when it is a plain one. */
  job?: JobClaim;
  /** What resolving an incident of this step runs again (the action itself unless said). */
  incidentTrigger?: Trigger;
}

export interface StepsHost {
  knex: Knex;
  run: RunStatement;
  clock: Clock;
  log: Logger;
  audit: AuditLog;
  definitions: Definitions;
  /** Where instances' engines run: in this thread, or in engine threads. */
  openSession: OpenSession;
  dispatcher: JobDispatcher;
  emit(event: EngineEvent): void;
  /** A subscription just opened: hand it a buffered message if one waits. */
  deliverBuffered(instanceKey: string, subscription: Committed['newSubscriptions'][number], sandbox: boolean): Promise<void>;
}

interface Stepped {
  instance: InstanceRow;
  outcome: StepOutcome;
  committed?: Committed;
  incidentKey?: string;
}

/**
 * Moves instances: one step at a time per instance (a lock), each on a session recovered from the database or,
 * on the hot path, kept live since the last step; each step's writes committed in one transaction.
 */
export class InstanceSteps {
  readonly lock = new KeyedLock();
  readonly live = new LiveSessions();

  constructor(private readonly host: StepsHost) {}

  async start(request: StartInstance, parent?: { key: string; executionId: string }): Promise<InstanceStarted> {
    const { knex, clock, audit, definitions, dispatcher } = this.host;
    const resource = await definitions.resolve(request.bpmnProcessId, request.version);
    const parentRow = parent ? await loadInstance(knex, parent.key) : undefined;
    const sandbox = Boolean(request.sandbox || parentRow?.sandbox);
    const variables = { ...(request.variables ?? {}), ...(sandbox ? { sandbox: true } : {}) };
    const session = await this.host.openSession(request.bpmnProcessId, resource.key, null);
    const outcome = await session.apply({ kind: 'start', variables });
    const now = clock.now();
    const reserved: string[] = [];
    const fields: NewInstance = {
      bpmn_process_id: request.bpmnProcessId,
      version: resource.version,
      resource_key: resource.key,
      variables,
      parent_key: parent?.key ?? null,
      parent_element_instance: parent?.executionId ?? null,
      sandbox,
      started_by: request.actor,
      started_at: now,
    };
    const started = (key: string) => ({
      actor: request.actor,
      action: 'instance.started',
      entityType: 'process-instance',
      entityId: key,
      data: { bpmnProcessId: request.bpmnProcessId, version: resource.version, sandbox, parentKey: parent?.key ?? null },
    });
    let stepped: Stepped;
    try {
      if (isPlainStart(outcome)) {
        const reserve = (type: string) => dispatcher.reserve(type);
        stepped = {
          outcome,
          ...(await commitPlainStart(this.host.run, fields, outcome, now, reserve, reserved, audit.inboxRow(started('0')))),
        };
        audit.committed();
      } else {
        stepped = await knex.transaction(async (trx) => {
          const instance = await insertInstance(trx, { ...fields, state: 'active', active_elements: [], waiting: [] }, outcome, now);
          const key = String(instance.key);
          const auditStart = () => audit.append(started(key), trx);
          if (outcome.incident) {
            const incidentKey = await recordIncident(trx, instance, outcome.incident, { kind: 'start', variables }, null, now);
            await auditStart();
            await this.auditIncident(trx, key, incidentKey, outcome.incident);
            return { instance, outcome, incidentKey };
          }
          const committed = {
            ...(await insertWaits(trx, instance, outcome, now, (type) => dispatcher.reserve(type), reserved)),
            cancelledTaskKeys: [],
          };
          await auditStart();
          return { instance, outcome, committed };
        });
      }
    } catch (error) {
      reserved.forEach((type) => dispatcher.release(type));
      await session.close();
      throw error;
    }
    giveBackUnused(dispatcher, reserved, stepped);
    const key = String(stepped.instance.key);
    await this.keepOrClose(key, session, stepped);
    this.host.emit({ type: 'instance.started', instanceKey: key, bpmnProcessId: request.bpmnProcessId });
    await this.afterCommit(stepped);
    return { key, bpmnProcessId: request.bpmnProcessId, version: resource.version };
  }

  /** Applies one action to one instance. False when the action found nothing to act on (or the claim did not hold). */
  async step(instanceKey: string, action: Action, options: StepOptions = {}): Promise<boolean> {
    const stepped = await this.lock.run(instanceKey, async () => {
      let cached = this.live.take(instanceKey);
      // A live session whose engine thread ended: the stored state is as good.
      if (cached?.session.broken) {
        await cached.session.close();
        cached = undefined;
      }
      const instance = cached?.row ?? (await loadInstance(this.host.knex, instanceKey));
      const runnable =
        instance &&
        (instance.state === 'active' || instance.state === 'incident') &&
        (cached || action.kind === 'start' || instance.engine_state);
      if (!runnable) {
        await cached?.session.close();
        return undefined;
      }
      const session =
        cached?.session ??
        (await this.host.openSession(instanceKey, String(instance.resource_key), action.kind === 'start' ? null : instance.engine_state));
      let result: Stepped | undefined;
      try {
        const outcome = await session.apply(action);
        result = outcome.stale ? undefined : await this.commit(instance, outcome, action, options);
        return result;
      } finally {
        if (result?.committed) await this.keepOrClose(instanceKey, session, result);
        else await session.close();
      }
    });
    if (!stepped) return false;
    await this.afterCommit(stepped);
    return true;
  }

  private async commit(instance: InstanceRow, outcome: StepOutcome, action: Action, options: StepOptions): Promise<Stepped | undefined> {
    const { knex, clock, dispatcher } = this.host;
    const now = clock.now();
    const reserve = (type: string) => dispatcher.reserve(type);
    const reserved: string[] = [];
    const release = () => reserved.forEach((type) => dispatcher.release(type));
    const releaseUnused = (stepped: Stepped | undefined) => giveBackUnused(dispatcher, reserved, stepped);
    const { job } = options;
    try {
      if (job && !outcome.incident && isPlainJobStep(instance, outcome, action)) {
        const committed = await commitJobStep(this.host.run, instance, outcome, job, now, reserve, reserved);
        const stepped = committed && { instance, outcome, committed };
        releaseUnused(stepped);
        return stepped;
      }
      const stepped = await knex.transaction(async (trx): Promise<Stepped> => {
        if (outcome.incident) {
          if (job)
            await trx('jobs')
              .where({ key: job.jobKey })
              .update({ state: 'failed', error_message: outcome.incident.message.slice(0, 4000) });
          const trigger = options.incidentTrigger ?? (job ? { kind: 'retry-job' as const, jobKey: job.jobKey } : action);
          const incidentKey = await recordIncident(trx, instance, outcome.incident, trigger, job?.jobKey ?? null, now);
          await this.auditIncident(trx, String(instance.key), incidentKey, outcome.incident);
          return { instance, outcome, incidentKey };
        }
        if (job) {
          const claimed = await trx('jobs')
            .where({ key: job.jobKey, state: 'activated', activation: job.activation })
            .update({ state: job.to, ended_at: now });
          if (!claimed) throw new ClaimLost();
        }
        if (options.claim) await options.claim(trx);
        const committed = await commitStep(trx, instance, outcome, now, action, reserve, reserved);
        return { instance, outcome, committed };
      });
      releaseUnused(stepped);
      return stepped;
    } catch (error) {
      release();
      if (error instanceof ClaimLost) return undefined;
      throw error;
    }
  }

  private auditIncident(trx: Knex.Transaction, instanceKey: string, incidentKey: string, incident: NonNullable<StepOutcome['incident']>) {
    return this.host.audit.append(
      {
        actor: 'engine',
        action: 'incident.created',
        entityType: 'process-instance',
        entityId: instanceKey,
        data: { incidentKey, ...incident },
      },
      trx,
    );
  }

  /** The session stays live only while the instance waits on a job a worker of this process takes next. */
  private async keepOrClose(key: string, session: Session, stepped: Stepped): Promise<void> {
    const { instance, outcome, committed } = stepped;
    if (committed && outcome.state === 'active' && !session.broken && committed.reservedJobs.length) {
      await this.live.keep(key, session, {
        ...instance,
        state: 'active',
        revision: instance.revision + 1,
        waiting: outcome.waiting.map((w) => w.executionId),
      });
    } else {
      await session.close();
    }
  }

  private async afterCommit({ instance, outcome, committed, incidentKey }: Stepped): Promise<void> {
    const instanceKey = String(instance.key);
    const { emit, dispatcher, log } = this.host;
    if (incidentKey) {
      emit({ type: 'incident.created', incidentKey, instanceKey, elementId: outcome.incident!.elementId });
      return;
    }
    if (!committed) return;
    for (const taskKey of committed.newTaskKeys) emit({ type: 'task.created', taskKey, instanceKey, elementId: '' });
    for (const taskKey of committed.cancelledTaskKeys) emit({ type: 'task.cancelled', taskKey, instanceKey, elementId: '' });
    dispatcher.runReserved(committed.reservedJobs);
    if (committed.newJobs.length) await dispatcher.offer(committed.newJobs);
    for (const call of outcome.calls) {
      await this.start(
        { bpmnProcessId: call.processId, variables: call.variables, actor: 'engine' },
        { key: instanceKey, executionId: call.executionId },
      ).catch((error: Error) => log.error('call activity could not start its process', { instanceKey, element: call.elementId, error }));
    }
    for (const subscription of committed.newSubscriptions) await this.host.deliverBuffered(instanceKey, subscription, instance.sandbox);
    if (outcome.state === 'completed') {
      emit({ type: 'instance.completed', instanceKey, bpmnProcessId: instance.bpmn_process_id });
      if (instance.parent_key && instance.parent_element_instance) {
        await this.step(String(instance.parent_key), {
          kind: 'signal',
          executionId: instance.parent_element_instance,
          variables: outcome.variables as Variables,
        });
      }
    }
  }
}

class ClaimLost extends Error {}

/** A job row already there (inserted by an earlier run of the same step) is skipped on insert: its slot goes back. */
export function giveBackUnused(dispatcher: JobDispatcher, reserved: string[], stepped: Stepped | undefined): void {
  const used = stepped?.committed?.reservedJobs.map((j) => j.type) ?? [];
  for (const type of reserved) {
    const i = used.indexOf(type);
    if (i >= 0) used.splice(i, 1);
    else dispatcher.release(type);
  }
}
