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
  engineState: unknown;
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

function stripSource(state: any): unknown {
  return { ...state, definitions: (state.definitions ?? []).map(({ source: _s, ...definition }: any) => definition) };
}

/**
 * Runs one step of one instance on a fresh bpmn-engine: start it, or recover its stored state, resume and apply
 * the action. Everything bpmn-engine does is synchronous up to the next wait state; the outcome lists the wait
 * states it reported, for the caller to store in one transaction with the new state.
 */
export async function runStep(
  name: string,
  sourceContext: SerializableContext,
  storedState: unknown | null,
  action: Action,
  context: RunnerContext,
): Promise<StepOutcome> {
  const outcome: StepOutcome = {
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
  const callbacks = new Map<string, ServiceCallback>();
  const timers = new DurableTimers();
  const listener = new EventEmitter();
  let failure: { elementId: string; errorType: string; message: string } | undefined;

  listener.on('wait', (api: any) => {
    try {
      const scope = { ...processVariables(api.owner?.environment ?? api.environment), ...(api.content?.zeebeLocals ?? {}) };
      if (api.type === 'bpmn:UserTask') {
        outcome.userTasks.push({ executionId: api.executionId, elementId: api.id, name: api.name ?? api.owner?.name ?? null, ...userTaskOf(api.owner, scope) });
      }
      const message = api.content?.message;
      if (message?.id) {
        const definition = sourceContext.getActivityById(message.id);
        const subscription = extensionOf(definition, 'zeebe:Subscription');
        const correlationKey = resolveProperty(subscription?.correlationKey, scope, `${api.id} correlationKey`);
        outcome.subscriptions.push({
          executionId: api.executionId,
          elementId: api.id,
          messageName: String(message.name ?? definition?.name ?? message.id),
          correlationKey: String(correlationKey ?? ''),
        });
      }
    } catch (error) {
      failure ??= { elementId: api.id, errorType: 'EXTRACT_VALUE_ERROR', message: (error as Error).message };
    }
  });
  listener.on('activity.timer', (api: any) => {
    const content = api.content ?? {};
    if (content.isResumed) return;
    const dueAt =
      content.timerType === 'timeDate' && content.timeDate
        ? new Date(String(content.timeDate))
        : new Date(context.now().getTime() + Number(content.timeout ?? 0));
    outcome.timers.push({
      executionId: content.executionId,
      elementId: api.id,
      timerType: content.timerType ?? 'timeDuration',
      expression: String(content[content.timerType] ?? ''),
      dueAt,
      repetitions: typeof content.repeat === 'number' ? content.repeat : null,
    });
  });
  listener.on('activity.call', (api: any) => {
    if (api.content?.isRecovered) return;
    const called = extensionOf(api.owner, 'zeebe:CalledElement');
    const scope = processVariables(api.owner?.environment);
    outcome.calls.push({
      executionId: api.executionId,
      elementId: api.id,
      processId: String(resolveProperty(called?.processId, scope, `${api.id} processId`)),
      variables: called?.propagateAllParentVariables === false ? { ...(api.content?.zeebeLocals ?? {}) } : { ...scope, ...(api.content?.zeebeLocals ?? {}) },
    });
  });

  const engine = new Engine({
    name,
    sourceContext,
    expressions: feelExpressions,
    extensions: {
      zeebe: zeebeExtension({
        onJob(job, callback) {
          callbacks.set(job.executionId, callback);
          if (!job.redelivered) outcome.jobs.push(job);
        },
        evaluateDecision: context.evaluateDecision,
      }),
    },
    timers,
    listener,
    settings: { enableDummyService: false },
  } as any);
  let ended = false;
  engine.on('end', () => (ended = true));
  engine.on('error', (error: any) => {
    failure ??= {
      elementId: error?.source?.content?.id ?? error?.inner?.source?.id ?? 'unknown',
      errorType: error?.code ? 'UNHANDLED_ERROR_EVENT' : 'EXTRACT_VALUE_ERROR',
      message: error?.message ?? String(error),
    };
  });

  try {
    if (action.kind === 'start') {
      await engine.execute({ variables: action.variables });
    } else {
      engine.recover(structuredClone(storedState) as any);
      await engine.resume();
      await settle();
      outcome.stale = !apply(engine, action, callbacks, timers);
    }
    await settle();
  } catch (error) {
    failure ??= { elementId: 'unknown', errorType: 'EXTRACT_VALUE_ERROR', message: (error as Error).message };
  }

  if (failure) {
    outcome.state = 'incident';
    outcome.incident = failure;
  } else {
    const state: any = await engine.getState();
    outcome.engineState = stripSource(state);
    outcome.variables = processVariables(state.definitions?.[0]?.execution?.processes?.[0]?.environment);
    outcome.state = ended || engine.state === 'idle' ? 'completed' : 'active';
    if (outcome.state === 'active') {
      outcome.waiting = engine.execution.getPostponed().map((api: any) => ({ executionId: api.executionId, elementId: api.id, type: api.type }));
    }
  }
  if (engine.state === 'running') await engine.stop();
  return outcome;
}

function apply(engine: any, action: Exclude<Action, { kind: 'start' }>, callbacks: Map<string, ServiceCallback>, timers: DurableTimers): boolean {
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
