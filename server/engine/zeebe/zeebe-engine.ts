import { EventEmitter } from 'node:events';
import os from 'node:os';
import type { Knex } from 'knex';
import type { Zeebe } from '@camunda8/sdk';
import type { AuditLog } from '../../audit/audit-log';
import { AppError, conflict, notFound } from '../../errors';
import type { Logger } from '../../log';
import type { Variables, Worker } from '../../../workers/worker';
import type * as Port from '../port';
import { connectCluster, type Cluster, type ClusterSettings } from './cluster';
import { isRefusal, resourceName, ZeebeDefinitions } from './definitions';
import { ZeebeInstances } from './instances';
import { JobWorkers } from './job-workers';
import { OrchestrationApi } from './rest';
import { ZeebeUserTasks } from './user-tasks';

export interface ZeebeOptions {
  knex: Knex;
  log: Logger;
  audit: AuditLog;
  /** Over the SDK's environment variables (`ZEEBE_GRPC_ADDRESS`, `ZEEBE_REST_ADDRESS`, `CAMUNDA_AUTH_STRATEGY`, ...). */
  settings?: ClusterSettings;
  /** The name the cluster shows for this process's job workers (Operate, incidents). */
  workerName?: string;
  /** How long start waits for the cluster to answer before refusing. */
  startTimeoutMs?: number;
  /** How long a designer's deployment waits for the cluster (the SDK retries an unreachable one) before 503. */
  deployTimeoutMs?: number;
}

/** The SDK types variables as JSON documents; the platform's are plain JSON values too. */
type JsonDocument = Parameters<Zeebe.ZeebeGrpcClient['createProcessInstance']>[0]['variables'];
type MessageVariables = Parameters<Zeebe.ZeebeGrpcClient['publishMessage']>[0]['variables'];

const GRPC_NOT_FOUND = 5;
const GRPC_FAILED_PRECONDITION = 9;
const GRPC_INVALID_ARGUMENT = 3;

/** A gRPC refusal as our error: the caller's mistake (404, 409, 400) or the cluster's trouble (rethrown). */
async function gateway<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const { code, details, message } = error as { code?: number; details?: string; message?: string };
    if (code === GRPC_NOT_FOUND) throw notFound(what);
    if (code === GRPC_FAILED_PRECONDITION) throw conflict(`${what}: ${details ?? message}`);
    if (code === GRPC_INVALID_ARGUMENT) throw new AppError(400, 'INVALID_REQUEST', `${what}: ${details ?? message}`);
    throw error;
  }
}

/**
 * The engine port on a Camunda 8 cluster (docs/zeebe.md): deployments, instances, messages and cancellation over the
 * gateway's gRPC API with `@camunda8/sdk`; every worker of `workers/` as a job worker; user tasks, instance views and
 * incidents through the Orchestration Cluster REST API. Timers, message correlation and call activities are Zeebe's.
 */
export class ZeebeEngine implements Port.EnginePort {
  readonly kind = 'zeebe' as const;
  /** The cluster takes a deployment before the platform records it: a refused one is not a version. */
  readonly deployment = 'before-commit' as const;
  /** The worklist's tasks (`server/worklist/tasks.ts` reads them here instead of the `tasks` table). */
  readonly userTasks: ZeebeUserTasks;
  private readonly cluster: Cluster;
  private readonly definitions: ZeebeDefinitions;
  private readonly instances: ZeebeInstances;
  private readonly workers: JobWorkers;
  private readonly events = new EventEmitter();
  private started = false;

  constructor(private readonly options: ZeebeOptions) {
    this.cluster = connectCluster(options.settings, options.log);
    const api = new OrchestrationApi(this.cluster.rest);
    this.definitions = new ZeebeDefinitions(this.cluster.grpc, api, options.knex);
    this.instances = new ZeebeInstances(api, this.definitions, options.knex);
    this.userTasks = new ZeebeUserTasks(api, this.definitions.formIds);
    this.workers = new JobWorkers(this.cluster.grpc, options.workerName ?? `approvals@${os.hostname()}`, options.log);
    this.events.setMaxListeners(0);
  }

  onEvent(listener: (event: Port.EngineEvent) => void): void {
    this.events.on('event', listener);
  }

  private emit(event: Port.EngineEvent): void {
    this.events.emit('event', event);
  }

  registerWorker(worker: Worker<any, any>): void {
    this.workers.register(worker);
  }

  /** A worker for this job type is registered in this process. */
  serves(type: string): boolean {
    return this.workers.serves(type);
  }

  /**
   * Called inside the deployment's transaction: what the cluster refuses is 400 with Zeebe's reason, a cluster that
   * does not answer in time 503, and either rolls the deployment back. Before start the versions wait: start deploys
   * the latest version of everything once the cluster answers.
   */
  async deploy(resources: Port.DeployableResource[]): Promise<void> {
    if (!this.started || !resources.length) return;
    const names = resources.map(resourceName).join(', ');
    const timeoutMs = this.options.deployTimeoutMs ?? 20_000;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    });
    try {
      await Promise.race([this.definitions.deploy(resources), late]);
    } catch (error) {
      const { details, message } = error as { details?: string; message?: string };
      if (isRefusal(error))
        throw new AppError(
          400,
          'DEPLOYMENT_REFUSED',
          `Nothing was deployed: the Camunda 8 cluster refused ${names}: ${details ?? message}`,
        );
      this.options.log.error('deployment not delivered to the Camunda 8 cluster', { resources: names, error: message });
      throw new AppError(
        503,
        'ENGINE_UNAVAILABLE',
        `Nothing was deployed: the Camunda 8 cluster did not take ${names} (${details ?? message}). Try again when it answers.`,
      );
    } finally {
      clearTimeout(timer);
    }
  }

  /** Refuses to start, saying what to check, when the cluster does not answer; then deploys and opens the job workers. */
  async start(): Promise<void> {
    await this.reachable();
    const { deployed, refused } = await this.definitions.deployLatest(this.options.log);
    this.options.log.info('processes deployed to the Zeebe cluster', { resources: deployed, ...(refused.length ? { refused } : {}) });
    this.started = true;
    this.workers.start();
  }

  /** Takes no more jobs, waits for the jobs in hand, closes the connection. */
  async stop(): Promise<void> {
    this.started = false;
    await this.workers.stop();
    await this.cluster.close();
  }

  private async reachable(): Promise<void> {
    const timeoutMs = this.options.startTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    });
    try {
      await Promise.race([Promise.all([this.cluster.grpc.topology(), this.cluster.rest.getTopology()]), late]);
    } catch (error) {
      await this.cluster.close().catch(() => {});
      throw new Error(
        `ENGINE=zeebe: the Camunda 8 cluster does not answer (${(error as Error).message}). Check ZEEBE_GRPC_ADDRESS, ` +
          'ZEEBE_REST_ADDRESS, CAMUNDA_AUTH_STRATEGY and its credentials, and the cluster health (docs/zeebe.md).',
      );
    } finally {
      clearTimeout(timer);
    }
  }

  async startInstance(request: Port.StartInstance): Promise<Port.InstanceStarted> {
    const sandbox = Boolean(request.sandbox);
    // Always said, true or false: the worklist shows only the tasks of instances whose `sandbox` is false.
    const variables = { ...(request.variables ?? {}), sandbox };
    const version = request.version === undefined ? undefined : await this.definitions.zeebeVersion(request.bpmnProcessId, request.version);
    const created = await gateway(`process ${request.bpmnProcessId}`, () =>
      this.cluster.grpc.createProcessInstance({ bpmnProcessId: request.bpmnProcessId, variables: variables as JsonDocument, version }),
    );
    const key = created.processInstanceKey;
    const platformVersion = request.version ?? (await this.definitions.platformVersion(created.bpmnProcessId, created.version));
    await this.options.audit.append({
      actor: request.actor,
      action: 'instance.started',
      entityType: 'process-instance',
      entityId: key,
      data: { bpmnProcessId: request.bpmnProcessId, version: platformVersion, sandbox, parentKey: null },
    });
    this.emit({ type: 'instance.started', instanceKey: key, bpmnProcessId: request.bpmnProcessId });
    return { key, bpmnProcessId: created.bpmnProcessId, version: platformVersion };
  }

  /**
   * Through the secondary storage, which trails the broker by the exporter's lag: an instance created in the second
   * before a crash may not be found yet (docs/zeebe.md).
   */
  findApplicationInstance(bpmnProcessId: string, applicationId: string): Promise<string | undefined> {
    return this.instances.ofApplication(bpmnProcessId, applicationId);
  }

  getInstance(key: string): Promise<Port.InstanceView | undefined> {
    return this.instances.get(key);
  }

  /**
   * Zeebe terminates the called sub-process instances with their parent. Zeebe answers NOT_FOUND for an instance that
   * has ended too: one the cluster's records show ended is 409, as on the embedded engine.
   */
  async cancelInstance(key: string, actor: string): Promise<void> {
    if (!/^\d{1,19}$/.test(key)) throw notFound('process instance');
    try {
      await gateway('process instance', () => this.cluster.grpc.cancelProcessInstance(key));
    } catch (error) {
      if ((error as AppError).status !== 404) throw error;
      const known = await this.instances.get(key);
      if (known && (known.state === 'completed' || known.state === 'terminated'))
        throw conflict(`process instance ${key} is ${known.state}`);
      throw error;
    }
    await this.options.audit.append({ actor, action: 'instance.cancelled', entityType: 'process-instance', entityId: key, data: {} });
    this.emit({ type: 'instance.terminated', instanceKey: key, bpmnProcessId: '' });
  }

  /**
   * Zeebe correlates by name and correlation key only: a designer's (sandbox) message could reach a real application's
   * instance, so one whose key is a real application's id is refused. Zeebe does not say which instances it reached.
   */
  async publishMessage(message: Port.PublishMessage): Promise<Port.MessagePublished> {
    if (message.sandbox) {
      const real = await this.options.knex('applications').where({ id: message.correlationKey, sandbox: false }).first('id');
      if (real) throw conflict(`a sandbox message may not carry the correlation key of application ${message.correlationKey}`);
    }
    const timeToLive = message.timeToLiveMs ?? 0;
    const published = await gateway(`message ${message.name}`, () =>
      this.cluster.grpc.publishMessage({
        name: message.name,
        correlationKey: message.correlationKey,
        variables: (message.variables ?? {}) as MessageVariables,
        timeToLive,
        messageId: message.messageId,
      }),
    );
    return { key: published.key, correlatedInstanceKeys: [], buffered: timeToLive > 0 };
  }

  async completeUserTask(taskKey: string, variables: Variables, actor: string): Promise<void> {
    if (!/^\d{1,19}$/.test(taskKey)) throw notFound('task');
    const task = await this.userTasks.get(taskKey);
    if (!task) throw notFound('task');
    await this.userTasks.complete(taskKey, variables);
    await this.options.audit.append({
      actor,
      action: 'task.completed',
      entityType: 'task',
      entityId: taskKey,
      data: { instanceKey: task.instance_key, elementId: task.element_id, variables },
    });
    this.emit({ type: 'task.completed', taskKey, instanceKey: task.instance_key, elementId: task.element_id });
  }

  listIncidents(): Promise<Port.IncidentView[]> {
    return this.instances.list();
  }

  /** A job's incident gets one retry first (Zeebe resolves it only when the job may run again). */
  async resolveIncident(key: string, actor: string): Promise<void> {
    if (!/^\d{1,19}$/.test(key)) throw notFound('incident');
    const incident = await this.instances.incident(key);
    if (incident.jobKey) await gateway('job', () => this.cluster.grpc.updateJobRetries({ jobKey: incident.jobKey!, retries: 1 }));
    await gateway('incident', () => this.cluster.grpc.resolveIncident({ incidentKey: key }));
    await this.options.audit.append({
      actor,
      action: 'incident.resolved',
      entityType: 'process-instance',
      entityId: incident.processInstanceKey,
      data: { incidentKey: key },
    });
    this.emit({ type: 'incident.resolved', incidentKey: key, instanceKey: incident.processInstanceKey, elementId: incident.elementId });
  }
}
