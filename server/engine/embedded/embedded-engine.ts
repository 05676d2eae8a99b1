import { EventEmitter } from 'node:events';
import type { Knex } from 'knex';
import type { SerializableContext } from 'moddle-context-serializer';
import type { AuditLog } from '../../audit/audit-log';
import type { Clock } from '../../clock';
import { AppError, conflict, notFound } from '../../errors';
import type { Logger } from '../../log';
import type { Variables, Worker, JobOutcome } from '../../../workers/worker';
import { DecisionSet } from '../dmn/decisions';
import type * as Port from '../port';
import { compileBpmn } from './compiler';
import { runStep, type Action, type StepOutcome } from './instance-runner';
import { JobDispatcher } from './job-dispatcher';
import { KeyedLock } from './keyed-lock';
import { commitStep, loadInstance, recordIncident, type Committed, type InstanceRow, type JobRow } from './store';
import { MessageBox } from './message-box';

export interface EmbeddedOptions {
  knex: Knex;
  clock: Clock;
  log: Logger;
  audit: AuditLog;
  pollIntervalMs?: number;
}

type Trigger = Action | { kind: 'retry-job'; jobKey: string };

/** The engine port on bpmn-engine in this process, every wait state in PostgreSQL (shared/ARCHITECTURE.md). */
export class EmbeddedEngine implements Port.EnginePort {
  readonly kind = 'embedded' as const;
  private readonly knex: Knex;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly audit: AuditLog;
  private readonly events = new EventEmitter();
  private readonly lock = new KeyedLock();
  private readonly compiled = new Map<string, Promise<SerializableContext>>();
  private readonly decisions = new Map<string, { version: number; set: DecisionSet }>();
  private readonly dispatcher: JobDispatcher;
  private readonly messages: MessageBox;
  private loop: NodeJS.Timeout | undefined;
  private readonly pollIntervalMs: number;

  constructor(options: EmbeddedOptions) {
    this.knex = options.knex;
    this.clock = options.clock;
    this.log = options.log;
    this.audit = options.audit;
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.dispatcher = new JobDispatcher(this.knex, this.clock, this.log, (job, outcome) => this.onJobOutcome(job, outcome));
    this.messages = new MessageBox(this.knex, this.clock, (instanceKey, executionId, variables, claim) =>
      this.step(instanceKey, { kind: 'signal', executionId, variables }, claim),
    );
  }

  onEvent(listener: (event: Port.EngineEvent) => void): void {
    this.events.on('event', listener);
  }

  private emit(event: Port.EngineEvent): void {
    this.events.emit('event', event);
  }

  registerWorker(worker: Worker<any, any>): void {
    this.dispatcher.register(worker);
  }

  async deploy(resources: Port.DeployableResource[]): Promise<void> {
    for (const resource of resources) {
      if (resource.kind === 'bpmn') this.definition(resource.key, resource.content);
      if (resource.kind === 'dmn') {
        const set = await DecisionSet.parse(resource.content);
        const current = this.decisions.get(resource.id);
        if (!current || current.version <= resource.version) this.decisions.set(resource.id, { version: resource.version, set });
      }
    }
  }

  private definition(resourceKey: string, xml?: string): Promise<SerializableContext> {
    let compiled = this.compiled.get(resourceKey);
    if (!compiled) {
      compiled = (async () => {
        const content = xml ?? (await this.knex('resources').where({ key: resourceKey }).first('content'))?.content;
        if (!content) throw new Error(`no deployed resource ${resourceKey}`);
        return compileBpmn(content);
      })();
      compiled.catch(() => this.compiled.delete(resourceKey));
      this.compiled.set(resourceKey, compiled);
    }
    return compiled;
  }

  private evaluateDecision = (decisionId: string, variables: Variables): unknown => {
    const deployed = this.decisions.get(decisionId);
    if (!deployed) throw new Error(`no deployed decision ${decisionId}`);
    return deployed.set.evaluate(decisionId, variables);
  };

  async start(): Promise<void> {
    const latest = await this.knex('resources as r')
      .where('r.kind', 'dmn')
      .whereRaw('r.version = (select max(version) from resources x where x.kind = r.kind and x.resource_id = r.resource_id)')
      .select('r.key', 'r.resource_id as id', 'r.version', 'r.content');
    await this.deploy(latest.map((r: any) => ({ key: String(r.key), kind: 'dmn', id: r.id, version: r.version, content: r.content })));
    this.dispatcher.restart();
    const tick = async () => {
      try {
        await this.tick();
      } catch (error) {
        this.log.error('engine tick failed', { error });
      }
      this.loop = setTimeout(tick, this.pollIntervalMs);
      this.loop.unref();
    };
    this.loop = setTimeout(tick, 0);
  }

  /** One round of the background work: due timers, expired buffered messages, jobs to hand out. */
  async tick(): Promise<void> {
    await this.fireDueTimers();
    await this.messages.expire();
    await this.dispatcher.poll();
  }

  async stop(): Promise<void> {
    if (this.loop) clearTimeout(this.loop);
    this.loop = undefined;
    await this.dispatcher.stop();
    await this.lock.idle();
  }

  async startInstance(request: Port.StartInstance, parent?: { key: string; executionId: string }): Promise<Port.InstanceStarted> {
    const query = this.knex('resources').where({ kind: 'bpmn', resource_id: request.bpmnProcessId });
    const resource = await (request.version ? query.andWhere({ version: request.version }) : query.orderBy('version', 'desc')).first();
    if (!resource) throw notFound(`process ${request.bpmnProcessId}${request.version ? ` version ${request.version}` : ''}`);
    const parentRow = parent ? await loadInstance(this.knex, parent.key) : undefined;
    const sandbox = Boolean(request.sandbox || parentRow?.sandbox);
    const variables = { ...(request.variables ?? {}), ...(sandbox ? { sandbox: true } : {}) };
    const [row] = await this.knex.transaction(async (trx) => {
      const inserted = await trx('process_instances')
        .insert({
          bpmn_process_id: request.bpmnProcessId,
          version: resource.version,
          resource_key: resource.key,
          state: 'active',
          variables: JSON.stringify(variables),
          parent_key: parent?.key ?? null,
          parent_element_instance: parent?.executionId ?? null,
          sandbox,
          started_by: request.actor,
          started_at: this.clock.now(),
        })
        .returning('*');
      await this.audit.append(
        { actor: request.actor, action: 'instance.started', entityType: 'process-instance', entityId: String(inserted[0].key), data: { bpmnProcessId: request.bpmnProcessId, version: resource.version, sandbox, parentKey: parent?.key ?? null } },
        trx,
      );
      return inserted;
    });
    const key = String(row.key);
    this.emit({ type: 'instance.started', instanceKey: key, bpmnProcessId: request.bpmnProcessId });
    await this.step(key, { kind: 'start', variables });
    return { key, bpmnProcessId: request.bpmnProcessId, version: resource.version };
  }

  /**
   * Applies one action to one instance under its lock and commits the step with `claim` (the write that makes the
   * action count: a job completed, a task completed, a timer fired) in one transaction. False when the action
   * found nothing to act on.
   */
  private async step(instanceKey: string, action: Action, claim?: (trx: Knex.Transaction) => Promise<void>, incidentTrigger?: Trigger, jobKey?: string): Promise<boolean> {
    const done = await this.lock.run(instanceKey, async () => {
      const instance = await loadInstance(this.knex, instanceKey);
      if (!instance || instance.state === 'completed' || instance.state === 'terminated') return undefined;
      if (action.kind !== 'start' && !instance.engine_state) return undefined;
      const source = await this.definition(String(instance.resource_key));
      const outcome = await runStep(instanceKey, source, action.kind === 'start' ? null : instance.engine_state, action, {
        now: () => this.clock.now(),
        evaluateDecision: this.evaluateDecision,
      });
      if (outcome.stale) return undefined;
      const now = this.clock.now();
      let committed: Committed | undefined;
      let incidentKey: string | undefined;
      await this.knex.transaction(async (trx) => {
        if (outcome.incident) {
          if (claim && jobKey) await trx('jobs').where({ key: jobKey }).update({ state: 'failed', error_message: outcome.incident.message.slice(0, 4000) });
          incidentKey = await recordIncident(trx, instance, outcome.incident, incidentTrigger ?? action, jobKey ?? null, now);
          await this.audit.append({ actor: 'engine', action: 'incident.created', entityType: 'process-instance', entityId: instanceKey, data: { incidentKey, ...outcome.incident } }, trx);
          return;
        }
        if (claim) await claim(trx);
        committed = await commitStep(trx, instance, outcome, now);
        if (outcome.state === 'completed') {
          await this.audit.append({ actor: 'engine', action: 'instance.completed', entityType: 'process-instance', entityId: instanceKey, data: { bpmnProcessId: instance.bpmn_process_id } }, trx);
        }
      });
      return { instance, outcome, committed, incidentKey };
    });
    if (!done) return false;
    await this.afterCommit(done.instance, done.outcome, done.committed, done.incidentKey);
    return true;
  }

  private async afterCommit(instance: InstanceRow, outcome: StepOutcome, committed: Committed | undefined, incidentKey: string | undefined): Promise<void> {
    const instanceKey = String(instance.key);
    if (incidentKey) {
      this.emit({ type: 'incident.created', incidentKey, instanceKey, elementId: outcome.incident!.elementId });
      return;
    }
    if (!committed) return;
    for (const taskKey of committed.newTaskKeys) this.emit({ type: 'task.created', taskKey, instanceKey, elementId: '' });
    for (const taskKey of committed.cancelledTaskKeys) this.emit({ type: 'task.cancelled', taskKey, instanceKey, elementId: '' });
    if (committed.newJobKeys.length) {
      const types = new Map(outcome.jobs.map((j) => [j.executionId, j.type]));
      const rows = await this.knex('jobs').whereIn('key', committed.newJobKeys).select('key', 'type', 'element_instance_id');
      await this.dispatcher.offer(rows.map((r: any) => ({ key: String(r.key), type: types.get(r.element_instance_id) ?? r.type })));
    }
    for (const call of outcome.calls) {
      await this.startInstance({ bpmnProcessId: call.processId, variables: call.variables, actor: 'engine' }, { key: instanceKey, executionId: call.executionId }).catch(
        (error: Error) => this.log.error('call activity could not start its process', { instanceKey, element: call.elementId, error }),
      );
    }
    for (const subscription of committed.newSubscriptions) await this.messages.deliverBuffered(instanceKey, subscription, instance.sandbox);
    if (outcome.state === 'completed') {
      this.emit({ type: 'instance.completed', instanceKey, bpmnProcessId: instance.bpmn_process_id });
      if (instance.parent_key && instance.parent_element_instance) {
        await this.step(String(instance.parent_key), { kind: 'signal', executionId: instance.parent_element_instance, variables: outcome.variables });
      }
    }
  }

  private async onJobOutcome(job: JobRow, outcome: JobOutcome): Promise<void> {
    const claimAs = (state: string) => async (trx: Knex.Transaction) => {
      const updated = await trx('jobs').where({ key: job.key, state: 'activated', activation: job.activation }).update({ state, ended_at: this.clock.now() });
      if (!updated) throw new StaleJob();
    };
    const retry = { kind: 'retry-job', jobKey: String(job.key) } as const;
    try {
      if (outcome.outcome === 'complete') {
        await this.step(String(job.instance_key), { kind: 'complete-job', executionId: job.element_instance_id, variables: outcome.variables }, claimAs('completed'), retry, String(job.key));
      } else if (outcome.outcome === 'error') {
        const action = { kind: 'throw-error', executionId: job.element_instance_id, errorCode: outcome.errorCode, message: outcome.message, variables: outcome.variables } as const;
        await this.step(String(job.instance_key), action, claimAs('error_thrown'), retry, String(job.key));
      } else {
        await this.failJob(job, outcome.message, outcome.retryBackoffMs);
      }
    } catch (error) {
      if (!(error instanceof StaleJob)) throw error;
    }
  }

  private async failJob(job: JobRow, message: string, backoffMs: number): Promise<void> {
    await this.lock.run(String(job.instance_key), async () => {
      const now = this.clock.now();
      const retries = job.retries - 1;
      await this.knex.transaction(async (trx) => {
        const base = trx('jobs').where({ key: job.key, state: 'activated', activation: job.activation });
        if (retries > 0) {
          await base.update({ state: 'activatable', retries, retry_at: new Date(now.getTime() + backoffMs), error_message: message.slice(0, 4000), worker: null });
          return;
        }
        const updated = await base.update({ state: 'failed', retries: 0, error_message: message.slice(0, 4000) });
        if (!updated) return;
        const instance = (await loadInstance(trx, String(job.instance_key)))!;
        const incident = { elementId: job.element_id, errorType: 'JOB_NO_RETRIES', message };
        const incidentKey = await recordIncident(trx, instance, incident, { kind: 'retry-job', jobKey: String(job.key) }, String(job.key), now);
        await this.audit.append({ actor: 'engine', action: 'incident.created', entityType: 'process-instance', entityId: String(job.instance_key), data: { incidentKey, ...incident, jobType: job.type } }, trx);
        this.emit({ type: 'incident.created', incidentKey, instanceKey: String(job.instance_key), elementId: job.element_id });
      });
    });
  }

  private async fireDueTimers(): Promise<void> {
    const due = await this.knex('timers').where({ state: 'armed' }).where('due_at', '<=', this.clock.now()).orderBy('due_at').limit(200);
    for (const timer of due) {
      const fired = await this.step(String(timer.instance_key), { kind: 'fire-timer', executionId: timer.element_instance_id }, async (trx) => {
        await trx('timers').where({ key: timer.key, state: 'armed' }).update({ state: 'fired' });
      });
      if (!fired) await this.knex('timers').where({ key: timer.key, state: 'armed' }).update({ state: 'cancelled' });
    }
  }

  async completeUserTask(taskKey: string, variables: Variables, actor: string): Promise<void> {
    const task = /^\d{1,18}$/.test(taskKey) ? await this.knex('tasks').where({ key: taskKey }).first() : undefined;
    if (!task) throw notFound('task');
    if (task.state !== 'created') throw conflict(`task ${taskKey} is ${task.state}`);
    const applied = await this.step(String(task.instance_key), { kind: 'signal', executionId: task.element_instance_id, variables }, async (trx) => {
      const updated = await trx('tasks')
        .where({ key: taskKey, state: 'created' })
        .update({ state: 'completed', completed_by: actor, completed_at: this.clock.now(), variables: JSON.stringify(variables) });
      if (!updated) throw conflict(`task ${taskKey} was completed by someone else`);
      await this.audit.append({ actor, action: 'task.completed', entityType: 'task', entityId: taskKey, data: { instanceKey: String(task.instance_key), elementId: task.element_id, variables } }, trx);
    });
    if (!applied) throw conflict(`task ${taskKey} is no longer waiting`);
    this.emit({ type: 'task.completed', taskKey, instanceKey: String(task.instance_key), elementId: task.element_id });
  }

  publishMessage(message: Port.PublishMessage): Promise<Port.MessagePublished> {
    return this.messages.publish(message);
  }

  async cancelInstance(key: string, actor: string): Promise<void> {
    const children = await this.lock.run(key, async () => {
      const instance = await loadInstance(this.knex, key);
      if (!instance) throw notFound('process instance');
      if (instance.state === 'completed' || instance.state === 'terminated') throw conflict(`process instance ${key} is ${instance.state}`);
      const now = this.clock.now();
      await this.knex.transaction(async (trx) => {
        await trx('process_instances').where({ key }).update({ state: 'terminated', ended_at: now, engine_state: null, active_elements: [] });
        await trx('jobs').where({ instance_key: key }).whereIn('state', ['activatable', 'activated']).update({ state: 'cancelled', ended_at: now });
        await trx('tasks').where({ instance_key: key, state: 'created' }).update({ state: 'cancelled', completed_at: now });
        await trx('timers').where({ instance_key: key, state: 'armed' }).update({ state: 'cancelled' });
        await trx('message_subscriptions').where({ instance_key: key, state: 'open' }).update({ state: 'closed' });
        await trx('incidents').where({ instance_key: key, state: 'open' }).update({ state: 'resolved', resolved_at: now, resolved_by: actor });
        await this.audit.append({ actor, action: 'instance.cancelled', entityType: 'process-instance', entityId: key, data: {} }, trx);
      });
      return this.knex('process_instances').where({ parent_key: key }).whereIn('state', ['active', 'incident']).pluck('key');
    });
    for (const child of children) await this.cancelInstance(String(child), actor);
    this.emit({ type: 'instance.terminated', instanceKey: key, bpmnProcessId: '' });
  }

  async getInstance(key: string): Promise<Port.InstanceView | undefined> {
    const row = await loadInstance(this.knex, key);
    if (!row) return undefined;
    const incidents = await this.incidentViews(this.knex('incidents as n').where({ 'n.instance_key': key, 'n.state': 'open' }));
    return {
      key: String(row.key),
      bpmnProcessId: row.bpmn_process_id,
      version: row.version,
      state: row.state,
      activeElements: row.active_elements,
      variables: row.variables,
      incidents,
      sandbox: row.sandbox,
      parentKey: row.parent_key ? String(row.parent_key) : null,
      startedAt: new Date(row.started_at).toISOString(),
      endedAt: row.ended_at ? new Date(row.ended_at).toISOString() : null,
    };
  }

  listIncidents(): Promise<Port.IncidentView[]> {
    return this.incidentViews(this.knex('incidents as n').where('n.state', 'open'));
  }

  private async incidentViews(query: Knex.QueryBuilder): Promise<Port.IncidentView[]> {
    const rows = await query
      .leftJoin('jobs as j', 'j.key', 'n.job_key')
      .join('process_instances as i', 'i.key', 'n.instance_key')
      .orderBy('n.key')
      .select('n.*', 'j.type as job_type', 'j.retries as job_retries', this.knex.raw(`i.variables->>'applicationId' as application_id`));
    return rows.map((r: any) => ({
      key: String(r.key),
      instanceKey: String(r.instance_key),
      jobKey: r.job_key ? String(r.job_key) : null,
      elementId: r.element_id,
      errorType: r.error_type,
      errorMessage: r.error_message,
      createdAt: new Date(r.created_at).toISOString(),
      jobType: r.job_type ?? null,
      retries: r.job_retries ?? null,
      applicationId: r.application_id ?? null,
    }));
  }

  async resolveIncident(key: string, actor: string): Promise<void> {
    const incident = /^\d{1,18}$/.test(key) ? await this.knex('incidents').where({ key }).first() : undefined;
    if (!incident) throw notFound('incident');
    if (incident.state !== 'open') throw conflict(`incident ${key} is resolved already`);
    const instanceKey = String(incident.instance_key);
    const trigger = incident.trigger as Trigger;
    await this.lock.run(instanceKey, () =>
      this.knex.transaction(async (trx) => {
        const now = this.clock.now();
        await trx('incidents').where({ key }).update({ state: 'resolved', resolved_at: now, resolved_by: actor });
        const open = await trx('incidents').where({ instance_key: instanceKey, state: 'open' }).count<{ count: string }[]>('key as count');
        if (Number(open[0].count) === 0) await trx('process_instances').where({ key: instanceKey, state: 'incident' }).update({ state: 'active' });
        if (trigger.kind === 'retry-job') {
          await trx('jobs').where({ key: trigger.jobKey }).update({ state: 'activatable', retries: trx.raw('greatest(retries, 1)'), retry_at: null, worker: null });
        }
        await this.audit.append({ actor, action: 'incident.resolved', entityType: 'process-instance', entityId: instanceKey, data: { incidentKey: key } }, trx);
      }),
    );
    this.emit({ type: 'incident.resolved', incidentKey: key, instanceKey, elementId: incident.element_id });
    if (trigger.kind === 'retry-job') {
      const job = await this.knex('jobs').where({ key: trigger.jobKey }).first('key', 'type');
      if (job) await this.dispatcher.offer([{ key: String(job.key), type: job.type }]);
    } else {
      await this.step(instanceKey, trigger);
    }
  }
}

class StaleJob extends AppError {
  constructor() {
    super(409, 'JOB_STALE', 'the job was completed, cancelled or handed to another worker');
  }
}
