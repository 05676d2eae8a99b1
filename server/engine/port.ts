import type { Variables, Worker } from '../../workers/worker';

/**
 * What the platform asks of a process engine. Two adapters implement it: `embedded/` (bpmn-engine in this
 * process, state in PostgreSQL) and `zeebe/` (a Camunda 8 cluster). Routes and services see only this.
 */
export interface EnginePort {
  readonly kind: 'embedded' | 'zeebe';
  /**
   * When `deploy` is called. `before-commit`: inside the deployment's transaction, so an engine that refuses the
   * resources (a cluster) rolls the deployment back and its refusal is the answer. `after-commit`: once the versions are
   * recorded (an engine in this process that only compiles them).
   */
  readonly deployment: 'before-commit' | 'after-commit';
  /** Makes deployed BPMN and DMN versions runnable. */
  deploy(resources: DeployableResource[]): Promise<void>;
  /**
   * The root instance of the process already started for this application, if any: a start the platform did not live
   * to record (it crashed between the engine's start and saving the key) is found again instead of started twice.
   */
  findApplicationInstance(bpmnProcessId: string, applicationId: string): Promise<string | undefined>;
  startInstance(request: StartInstance): Promise<InstanceStarted>;
  getInstance(key: string): Promise<InstanceView | undefined>;
  cancelInstance(key: string, actor: string): Promise<void>;
  publishMessage(message: PublishMessage): Promise<MessagePublished>;
  completeUserTask(taskKey: string, variables: Variables, actor: string): Promise<void>;
  registerWorker(worker: Worker<any, any>): void;
  listIncidents(): Promise<IncidentView[]>;
  resolveIncident(key: string, actor: string): Promise<void>;
  onEvent(listener: (event: EngineEvent) => void): void;
  /** Starts dispatching jobs and firing due timers; resumes work left by a previous run. */
  start(): Promise<void>;
  /** Stops taking work and waits for the jobs in hand. */
  stop(): Promise<void>;
}

export interface DeployableResource {
  key: string;
  kind: 'bpmn' | 'dmn' | 'form';
  id: string;
  version: number;
  content: string;
}

export interface StartInstance {
  bpmnProcessId: string;
  /** The latest deployed version when absent. */
  version?: number;
  variables?: Variables;
  /** A designer's "try it": no licence, signature, archive or notification comes of it (JOBS.md). */
  sandbox?: boolean;
  actor: string;
}

export interface InstanceStarted {
  key: string;
  bpmnProcessId: string;
  version: number;
}

export type InstanceState = 'active' | 'completed' | 'terminated' | 'incident';

export interface InstanceView {
  key: string;
  bpmnProcessId: string;
  version: number;
  state: InstanceState;
  activeElements: string[];
  variables: Variables;
  incidents: IncidentView[];
  sandbox: boolean;
  parentKey: string | null;
  startedAt: string;
  endedAt: string | null;
}

export interface PublishMessage {
  name: string;
  correlationKey: string;
  variables?: Variables;
  /** How long the message waits for a subscription when none is open; 0 = not buffered. */
  timeToLiveMs?: number;
  /** A second publish with the same id (and name) is ignored while the first is buffered. */
  messageId?: string;
  /** Reaches only sandbox instances (a designer's messages). */
  sandbox?: boolean;
}

export interface MessagePublished {
  key: string;
  correlatedInstanceKeys: string[];
  buffered: boolean;
}

export interface IncidentView {
  key: string;
  instanceKey: string;
  jobKey: string | null;
  elementId: string;
  errorType: string;
  errorMessage: string;
  createdAt: string;
  jobType?: string | null;
  retries?: number | null;
  applicationId?: string | null;
}

export type EngineEvent =
  | { type: 'instance.started' | 'instance.completed' | 'instance.terminated'; instanceKey: string; bpmnProcessId: string }
  | { type: 'task.created' | 'task.completed' | 'task.cancelled'; taskKey: string; instanceKey: string; elementId: string }
  | { type: 'incident.created' | 'incident.resolved'; incidentKey: string; instanceKey: string; elementId: string };
