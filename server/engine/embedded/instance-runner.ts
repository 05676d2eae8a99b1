import { EventEmitter } from 'node:events';
import { Engine } from 'bpmn-engine';
import type { SerializableContext } from 'moddle-context-serializer';
import { resolveProperty } from '../feel';
import { DurableTimers } from './durable-timers';
import { feelExpressions, processVariables } from './feel-expressions';
import { extensionOf, userTaskOf, zeebeExtension, type JobRequest, type ServiceCallback } from './zeebe-extension';

type Vars = Record<string, unknown>;

/** What happens to an instance in one step. */
export type Action =
  | { kind: 'start'; variables: Vars }
  | { kind: 'complete-job'; executionId: string; variables: Vars }
  | { kind: 'throw-error'; executionId: string; errorCode: string; message: string; variables: Vars }
  /** A user task completed, a message correlated, a called process ended. */
  | { kind: 'signal'; executionId: string; variables: Vars }
  | { kind: 'fire-timer'; executionId: string };

export interface UserTaskRequest {
  executionId: string;
  elementId: string;
  name: string | null;
  candidateGroups: string[];
  candidateUsers: string[];
  assignee: string | null;
  dueDate: string | null;
  followUpDate: string | null;
  formKey: string | null;
  headers: Record<string, string>;
}
export interface TimerRequest {
  executionId: string;
  elementId: string;
  timerType: string;
  expression: string;
  dueAt: Date;
  repetitions: number | null;
}
export interface SubscriptionRequest {
  executionId: string;
  elementId: string;
  messageName: string;
  correlationKey: string;
}
export interface CallRequest {
  executionId: string;
  elementId: string;
  processId: string;
  variables: Vars;
}
export interface Waiting {
  executionId: string;
  elementId: string;
  type: string;
}

export interface StepOutcome {
  state: 'active' | 'completed' | 'incident';
  /** bpmn-engine's state after the step, as JSON text (what is stored), without the definitions' source. */
  engineState: string | null;
  variables: Vars;
  waiting: Waiting[];
  jobs: JobRequest[];
  userTasks: UserTaskRequest[];
  timers: TimerRequest[];
  subscriptions: SubscriptionRequest[];
  calls: CallRequest[];
  /** The action found nothing to act on (the job, task or timer is no longer waiting). */
  stale: boolean;
  incident?: { elementId: string; errorType: string; message: string };
}

export interface RunnerContext {
  now(): Date;
  evaluateDecision(decisionId: string, variables: Vars): unknown;
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** An instance's engine between steps, in this thread or in an engine thread. */
export interface Session {
  /** Reports what the engine did since the previous apply (or since resuming): this action's effects. */
  apply(action: Action): Promise<StepOutcome>;
  close(): Promise<void>;
  /** The engine failed: the session must not be kept. */
  readonly broken: boolean;
}

/** Opens sessions on deployed process versions: new (no stored state), or recovered and resumed. */
export type OpenSession = (name: string, resourceKey: string, storedState: unknown | null) => Promise<Session>;

function stripSource(state: any): unknown {
  return { ...state, definitions: (state.definitions ?? []).map(({ source: _s, ...definition }: any) => definition) };
}

/**
 * One instance on a bpmn-engine in memory: started, or recovered from its stored state and resumed. Each `apply`
 * runs the engine synchronously to its next wait states and reports them, with the state to store. A session may
 * be kept between steps (the hot path of jobs answered in this process) or closed after one.
 */
export class InstanceSession implements Session {
  private readonly callbacks = new Map<string, ServiceCallback>();
  private readonly timers = new DurableTimers();
  private outcome = emptyOutcome();
  private failure: StepOutcome['incident'];
  private ended = false;
  private resuming = false;
  /** Timers bpmn-elements completed by itself while resuming, due by the wall clock (the only clock it reads). */
  private readonly expiredOnResume = new Set<string>();
  private readonly engine: any;

  private constructor(
    name: string,
    private readonly sourceContext: SerializableContext,
    private readonly context: RunnerContext,
  ) {
    const listener = new EventEmitter();
    listener.on('wait', (api: any) => this.onWait(api));
    listener.on('activity.timer', (api: any) => this.onTimer(api));
    listener.on('activity.call', (api: any) => this.onCall(api));
    listener.on('activity.timeout', (api: any) => {
      if (this.resuming && api.content?.executionId) this.expiredOnResume.add(api.content.executionId);
    });
    this.engine = new Engine({
      name,
      sourceContext,
      expressions: feelExpressions,
      extensions: {
        zeebe: zeebeExtension({
          onJob: (job, callback) => {
            this.callbacks.set(job.executionId, callback);
            if (!job.redelivered) this.outcome.jobs.push(job);
          },
          evaluateDecision: context.evaluateDecision,
        }),
      },
      timers: this.timers,
      listener,
      settings: { enableDummyService: false },
    } as any);
    this.engine.on('end', () => (this.ended = true));
    this.engine.on('error', (error: any) => {
      this.failure ??= {
        elementId: error?.source?.content?.id ?? error?.inner?.source?.id ?? 'unknown',
        errorType: error?.code ? 'UNHANDLED_ERROR_EVENT' : 'EXTRACT_VALUE_ERROR',
        message: error?.message ?? String(error),
      };
    });
  }

  /** A new instance (no stored state), or one recovered and resumed to where it waits. */
  static async open(
    name: string,
    sourceContext: SerializableContext,
    storedState: unknown | null,
    context: RunnerContext,
  ): Promise<InstanceSession> {
    const session = new InstanceSession(name, sourceContext, context);
    if (storedState) {
      session.resuming = true;
      session.engine.recover(structuredClone(storedState));
      await session.engine.resume();
      await settle();
      session.resuming = false;
      // What resuming announced again (tasks, subscriptions) is stored already; what an expired timer did is new.
      if (!session.expiredOnResume.size) session.outcome = emptyOutcome();
    }
    return session;
  }

  get broken(): boolean {
    return Boolean(this.failure);
  }

  async apply(action: Action): Promise<StepOutcome> {
    try {
      if (action.kind === 'start') await this.engine.execute({ variables: action.variables });
      else if (!(action.kind === 'fire-timer' && this.expiredOnResume.delete(action.executionId))) {
        this.outcome.stale = !apply(this.engine, action, this.callbacks, this.timers);
      }
      await settle();
    } catch (error) {
      this.failure ??= { elementId: 'unknown', errorType: 'EXTRACT_VALUE_ERROR', message: (error as Error).message };
    }
    const outcome = this.outcome;
    this.outcome = emptyOutcome();
    if (this.failure) {
      outcome.state = 'incident';
      outcome.incident = this.failure;
      return outcome;
    }
    if (outcome.stale) return outcome;
    const state: any = await this.engine.getState();
    outcome.engineState = JSON.stringify(stripSource(state));
    outcome.variables = processVariables(state.definitions?.[0]?.execution?.processes?.[0]?.environment);
    outcome.state = this.ended || this.engine.state === 'idle' ? 'completed' : 'active';
    if (outcome.state === 'active') {
      outcome.waiting = this.engine.execution
        .getPostponed()
        // A join's discarded inbound flow trails behind the token that took the other one (dead-path elimination): no wait.
        .filter((api: any) => api.type !== 'bpmn:SequenceFlow')
        .map((api: any) => ({ executionId: api.executionId, elementId: api.id, type: api.type }));
    }
    return outcome;
  }

  async close(): Promise<void> {
    if (this.engine.state === 'running') await this.engine.stop();
  }

  private scope(api: any): Vars {
    return { ...processVariables(api.owner?.environment ?? api.environment), ...(api.content?.zeebeLocals ?? {}) };
  }

  private onWait(api: any): void {
    try {
      const scope = this.scope(api);
      if (api.type === 'bpmn:UserTask') {
        this.outcome.userTasks.push({
          executionId: api.executionId,
          elementId: api.id,
          name: api.name ?? api.owner?.name ?? null,
          ...userTaskOf(api.owner, scope),
        });
      }
      const message = api.content?.message;
      if (message?.id) {
        const definition = this.sourceContext.getActivityById(message.id);
        const subscription = extensionOf(definition, 'zeebe:Subscription');
        const correlationKey = resolveProperty(subscription?.correlationKey, scope, `${api.id} correlationKey`);
        this.outcome.subscriptions.push({
          executionId: api.executionId,
          elementId: api.id,
          messageName: String(message.name ?? definition?.name ?? message.id),
          correlationKey: String(correlationKey ?? ''),
        });
      }
    } catch (error) {
      this.failure ??= { elementId: api.id, errorType: 'EXTRACT_VALUE_ERROR', message: (error as Error).message };
    }
  }

  private onTimer(api: any): void {
    const content = api.content ?? {};
    if (content.isResumed) return;
    const dueAt =
      content.timerType === 'timeDate' && content.timeDate
        ? new Date(String(content.timeDate))
        : new Date(this.context.now().getTime() + Number(content.timeout ?? 0));
    this.outcome.timers.push({
      executionId: content.executionId,
      elementId: api.id,
      timerType: content.timerType ?? 'timeDuration',
      expression: String(content[content.timerType] ?? ''),
      dueAt,
      repetitions: typeof content.repeat === 'number' ? content.repeat : null,
    });
  }

  private onCall(api: any): void {
    if (api.content?.isRecovered) return;
    const called = extensionOf(api.owner, 'zeebe:CalledElement');
    const scope = processVariables(api.owner?.environment);
    const locals = api.content?.zeebeLocals ?? {};
    this.outcome.calls.push({
      executionId: api.executionId,
      elementId: api.id,
      processId: String(resolveProperty(called?.processId, scope, `${api.id} processId`)),
      variables: called?.propagateAllParentVariables === false ? { ...locals } : { ...scope, ...locals },
    });
  }
}

function emptyOutcome(): StepOutcome {
  return {
    state: 'active',
    engineState: null,
    variables: {},
    waiting: [],
    jobs: [],
    userTasks: [],
    timers: [],
    subscriptions: [],
    calls: [],
    stale: false,
  };
}

function apply(
  engine: any,
  action: Exclude<Action, { kind: 'start' }>,
  callbacks: Map<string, ServiceCallback>,
  timers: DurableTimers,
): boolean {
  switch (action.kind) {
    case 'complete-job': {
      const callback = callbacks.get(action.executionId);
      callback?.(null, action.variables);
      return Boolean(callback);
    }
    case 'throw-error': {
      const callback = callbacks.get(action.executionId);
      callback?.(Object.assign(new Error(action.message), { code: action.errorCode, variables: action.variables }));
      return Boolean(callback);
    }
    case 'signal': {
      // The element's own api reaches exactly that execution (a delegated signal reaches message events by message id only).
      const waiting = engine.execution.getPostponed().find((api: any) => api.executionId === action.executionId);
      waiting?.signal({ executionId: action.executionId, variables: action.variables });
      return Boolean(waiting);
    }
    case 'fire-timer':
      return timers.fire(action.executionId);
  }
}
