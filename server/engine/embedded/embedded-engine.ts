import { EventEmitter } from 'node:events';
import type { Knex } from 'knex';
import type { AuditLog } from '../../audit/audit-log';
import type { Clock } from '../../clock';
import type { DatabaseKind } from '../../db';
import { conflict, notFound } from '../../errors';
import type { Logger } from '../../log';
import type { JobOutcome, Variables, Worker } from '../../../workers/worker';
import type * as Port from '../port';
import { Definitions } from './definitions';
import { Incidents } from './incidents';
import { InstanceSession, type OpenSession } from './instance-runner';
import { InstanceSteps } from './instance-steps';
import { JobDispatcher } from './job-dispatcher';
import { MessageBox } from './message-box';
import { SessionThreads } from './session-threads';
import { statementRunner } from './prepared';
import { loadInstance, type JobRow } from './store';

export interface EmbeddedOptions {
  knex: Knex;
  databaseKind: DatabaseKind;
  clock: Clock;
  log: Logger;
  audit: AuditLog;
  pollIntervalMs?: number;
  /** Engine threads running bpmn-engine on other cores; 0 runs it in this thread. */
  threads?: number;
  /** Threads start once this many sessions are open (0: always); 4 unless said. */
  threadsFrom?: number;
}

/** The engine port on bpmn-engine in this process, every wait state in PostgreSQL (shared/ARCHITECTURE.md). */
export class EmbeddedEngine implements Port.EnginePort {
  readonly deployment = 'after-commit' as const;
  readonly kind = 'embedded' as const;
  private readonly knex: Knex;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly audit: AuditLog;
  private readonly events = new EventEmitter();
  private readonly definitions: Definitions;
  private readonly dispatcher: JobDispatcher;
  private readonly steps: InstanceSteps;
  private readonly messages: MessageBox;
  private readonly incidents: Incidents;
  private readonly pollIntervalMs: number;
  /** The engine threads, when there may be any. */
  readonly threads: SessionThreads | undefined;
  private loop: NodeJS.Timeout | undefined;

  constructor(options: EmbeddedOptions) {
    ({ knex: this.knex, clock: this.clock, log: this.log, audit: this.audit } = options);
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.events.setMaxListeners(0);
    const emit = (event: Port.EngineEvent) => this.events.emit('event', event);
    this.definitions = new Definitions(this.knex);
    const context = { now: () => this.clock.now(), evaluateDecision: this.definitions.evaluateDecision };
    const inThisThread: OpenSession = async (name, resourceKey, storedState) =>
      InstanceSession.open(name, await this.definitions.bpmn(resourceKey), storedState, context);
    this.threads = options.threads
      ? new SessionThreads({ size: options.threads, from: options.threadsFrom ?? 4 }, inThisThread, this.definitions, this.clock, this.log)
      : undefined;
    const openSession = this.threads?.open ?? inThisThread;
    this.dispatcher = new JobDispatcher(this.knex, this.clock, this.log, (job, outcome) => this.onJobOutcome(job, outcome));
    this.messages = new MessageBox(this.knex, this.clock, (instanceKey, executionId, variables, claim) =>
      this.steps.step(instanceKey, { kind: 'signal', executionId, variables }, { claim }),
    );
    this.steps = new InstanceSteps({
      knex: this.knex,
      run: statementRunner(this.knex, options.databaseKind),
      clock: this.clock,
      log: this.log,
      audit: this.audit,
      definitions: this.definitions,
      openSession,
      dispatcher: this.dispatcher,
      emit,
      deliverBuffered: (instanceKey, subscription, sandbox) => this.messages.deliverBuffered(instanceKey, subscription, sandbox),
    });
    this.incidents = new Incidents({
      knex: this.knex,
      clock: this.clock,
      audit: this.audit,
      dispatcher: this.dispatcher,
      steps: this.steps,
      emit,
    });
  }

  onEvent(listener: (event: Port.EngineEvent) => void): void {
    this.events.on('event', listener);
  }

  registerWorker(worker: Worker<any, any>): void {
    this.dispatcher.register(worker);
  }

  /** A worker for this job type is registered in this process. */
  serves(type: string): boolean {
    return this.dispatcher.serves(type);
  }

  deploy(resources: Port.DeployableResource[]): Promise<void> {
    return this.definitions.deploy(resources);
  }

  async findApplicationInstance(bpmnProcessId: string, applicationId: string): Promise<string | undefined> {
    const existing = await this.knex('process_instances')
      .where({ bpmn_process_id: bpmnProcessId, sandbox: false })
      .whereNull('parent_key')
      .whereRaw(`variables->>'applicationId' = ?`, [applicationId])
      .first('key');
    return existing ? String(existing.key) : undefined;
  }

  async start(): Promise<void> {
    await this.definitions.loadLatestDecisions();
    this.dispatcher.restart();
    const tick = async () => {
      try {
        await this.tick();
      } catch (error) {
        this.log.error('engine tick failed', { error });
      }
      if (!this.loop) return;
      this.loop = setTimeout(tick, this.pollIntervalMs);
      this.loop.unref();
    };
    this.loop = setTimeout(tick, 0);
  }

  /** One round of the background work: due timers, idle live sessions, old messages, jobs to hand out. */
  async tick(): Promise<void> {
    await this.steps.live.sweep();
    await this.threads?.sweep();
    await this.fireDueTimers();
    await this.messages.expire();
    await this.dispatcher.poll();
  }

  /** Takes no more work, waits for the jobs and steps in hand. */
  async stop(): Promise<void> {
    if (this.loop) clearTimeout(this.loop);
    this.loop = undefined;
    await this.dispatcher.stop();
    await this.steps.lock.idle();
    await this.steps.live.clear();
    await this.threads?.close();
  }

  startInstance(request: Port.StartInstance): Promise<Port.InstanceStarted> {
    return this.steps.start(request);
  }

  private async onJobOutcome(job: JobRow, outcome: JobOutcome): Promise<void> {
    const instanceKey = String(job.instance_key);
    const executionId = job.element_instance_id;
    const claim = { jobKey: String(job.key), activation: job.activation };
    if (outcome.outcome === 'complete') {
      await this.steps.step(
        instanceKey,
        { kind: 'complete-job', executionId, variables: outcome.variables },
        { job: { ...claim, to: 'completed' } },
      );
    } else if (outcome.outcome === 'error') {
      const action = {
        kind: 'throw-error',
        executionId,
        errorCode: outcome.errorCode,
        message: outcome.message,
        variables: outcome.variables,
      } as const;
      await this.steps.step(instanceKey, action, { job: { ...claim, to: 'error_thrown' } });
    } else {
      await this.incidents.failJob(job, outcome.message, outcome.retryBackoffMs, outcome.retries);
    }
  }

  private async fireDueTimers(): Promise<void> {
    const due = await this.knex('timers').where({ state: 'armed' }).where('due_at', '<=', this.clock.now()).orderBy('due_at').limit(200);
    for (const timer of due) {
      const claim = async (trx: Knex.Transaction) => {
        await trx('timers').where({ key: timer.key, state: 'armed' }).update({ state: 'fired' });
      };
      const fired = await this.steps.step(
        String(timer.instance_key),
        { kind: 'fire-timer', executionId: timer.element_instance_id },
        { claim },
      );
      if (!fired) await this.knex('timers').where({ key: timer.key, state: 'armed' }).update({ state: 'cancelled' });
    }
  }

  async completeUserTask(taskKey: string, variables: Variables, actor: string): Promise<void> {
    const task = /^\d{1,18}$/.test(taskKey) ? await this.knex('tasks').where({ key: taskKey }).first() : undefined;
    if (!task) throw notFound('task');
    if (task.state !== 'created') throw conflict(`task ${taskKey} is ${task.state}`);
    const claim = async (trx: Knex.Transaction) => {
      const updated = await trx('tasks')
        .where({ key: taskKey, state: 'created' })
        .update({ state: 'completed', completed_by: actor, completed_at: this.clock.now(), variables: JSON.stringify(variables) });
      if (!updated) throw conflict(`task ${taskKey} was completed by someone else`);
      await this.audit.append(
        {
          actor,
          action: 'task.completed',
          entityType: 'task',
          entityId: taskKey,
          data: { instanceKey: String(task.instance_key), elementId: task.element_id, variables },
        },
        trx,
      );
    };
    const applied = await this.steps.step(
      String(task.instance_key),
      { kind: 'signal', executionId: task.element_instance_id, variables },
      { claim },
    );
    if (!applied) throw conflict(`task ${taskKey} is no longer waiting`);
    this.events.emit('event', { type: 'task.completed', taskKey, instanceKey: String(task.instance_key), elementId: task.element_id });
  }

  publishMessage(message: Port.PublishMessage): Promise<Port.MessagePublished> {
    return this.messages.publish(message);
  }

  async cancelInstance(key: string, actor: string): Promise<void> {
    const children = await this.steps.lock.run(key, async () => {
      await this.steps.live.drop(key);
      const instance = await loadInstance(this.knex, key);
      if (!instance) throw notFound('process instance');
      if (instance.state === 'completed' || instance.state === 'terminated') throw conflict(`process instance ${key} is ${instance.state}`);
      const now = this.clock.now();
      await this.knex.transaction(async (trx) => {
        await trx('process_instances')
          .where({ key })
          .update({ state: 'terminated', ended_at: now, engine_state: null, active_elements: [], waiting: [] });
        await trx('jobs')
          .where({ instance_key: key })
          .whereIn('state', ['activatable', 'activated'])
          .update({ state: 'cancelled', ended_at: now });
        await trx('tasks').where({ instance_key: key, state: 'created' }).update({ state: 'cancelled', completed_at: now });
        await trx('timers').where({ instance_key: key, state: 'armed' }).update({ state: 'cancelled' });
        await trx('message_subscriptions').where({ instance_key: key, state: 'open' }).update({ state: 'closed' });
        await trx('incidents')
          .where({ instance_key: key, state: 'open' })
          .update({ state: 'resolved', resolved_at: now, resolved_by: actor });
        await this.audit.append({ actor, action: 'instance.cancelled', entityType: 'process-instance', entityId: key, data: {} }, trx);
      });
      return this.knex('process_instances').where({ parent_key: key }).whereIn('state', ['active', 'incident']).pluck('key');
    });
    for (const child of children) await this.cancelInstance(String(child), actor);
    this.events.emit('event', { type: 'instance.terminated', instanceKey: key, bpmnProcessId: '' });
  }

  async getInstance(key: string): Promise<Port.InstanceView | undefined> {
    const row = await loadInstance(this.knex, key);
    if (!row) return undefined;
    return {
      key: String(row.key),
      bpmnProcessId: row.bpmn_process_id,
      version: row.version,
      state: row.state,
      activeElements: row.active_elements,
      variables: row.variables,
      incidents: await this.incidents.list({ instanceKey: key }),
      sandbox: row.sandbox,
      parentKey: row.parent_key ? String(row.parent_key) : null,
      startedAt: new Date(row.started_at).toISOString(),
      endedAt: row.ended_at ? new Date(row.ended_at).toISOString() : null,
    };
  }

  listIncidents(): Promise<Port.IncidentView[]> {
    return this.incidents.list();
  }

  resolveIncident(key: string, actor: string): Promise<void> {
    return this.incidents.resolve(key, actor);
  }
}
