import { resolveProperty } from '../feel';
import { processVariables } from './feel-expressions';

type Vars = Record<string, unknown>;
export type ServiceCallback = (error: Error | null, output?: Vars) => void;

export interface JobRequest {
  executionId: string;
  elementId: string;
  type: string;
  retries: number;
  headers: Record<string, string>;
  variables: Vars;
  /** Announced again after a recover: the job exists already. */
  redelivered: boolean;
}

export interface ExtensionHooks {
  onJob(job: JobRequest, callback: ServiceCallback): void;
  evaluateDecision(decisionId: string, variables: Vars): unknown;
}

/** The first extension element of a type on an element (`zeebe:TaskDefinition`, ...). */
export function extensionOf(element: any, type: string): any {
  return (element?.behaviour?.extensionElements?.values ?? []).find((v: { $type: string }) => v.$type === type);
}

function setPath(target: Vars, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    node = node[part] = next && typeof next === 'object' && !Array.isArray(next) ? { ...(next as Vars) } : {};
  }
  node[parts[parts.length - 1]] = value;
}

export function inputMappings(element: any, scope: Vars): Vars {
  const locals: Vars = {};
  for (const p of extensionOf(element, 'zeebe:IoMapping')?.inputParameters ?? []) {
    setPath(locals, p.target, resolveProperty(p.source, { ...scope, ...locals }, `${element.id} input ${p.target}`));
  }
  return locals;
}

/** Zeebe: with output mappings only their targets reach the process; without, every result variable does. */
export function outputMappings(element: any, result: Vars, scope: Vars): Vars {
  const outputs = extensionOf(element, 'zeebe:IoMapping')?.outputParameters ?? [];
  if (!outputs.length) return { ...result };
  const mapped: Vars = {};
  for (const p of outputs)
    setPath(mapped, p.target, resolveProperty(p.source, { ...scope, ...result }, `${element.id} output ${p.target}`));
  return mapped;
}

/**
 * A BPMN error caught by an error event: the variables the worker threw it with (bpmn-elements wraps the worker's
 * error as the `inner` of its own). Zeebe sets them in the catch event's scope: only its output mappings carry them on.
 */
function caughtErrorVariables(output: unknown): Vars | undefined {
  if (!(output instanceof Error)) return undefined;
  const thrown = ((output as { inner?: unknown }).inner ?? output) as { variables?: unknown };
  return thrown.variables && typeof thrown.variables === 'object' && !Array.isArray(thrown.variables)
    ? { ...(thrown.variables as Vars) }
    : {};
}

/** A signal or callback payload `{executionId, variables}` carries its result in `variables`. */
function resultOf(output: unknown): Vars {
  if (!output || typeof output !== 'object' || Array.isArray(output)) return {};
  const o = output as Vars;
  if (o.variables && typeof o.variables === 'object') return { ...(o.variables as Vars) };
  const { id: _i, executionId: _e, type: _t, ...rest } = o;
  return rest;
}

function headersOf(element: any): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const h of extensionOf(element, 'zeebe:TaskHeaders')?.values ?? []) headers[h.key] = h.value;
  return headers;
}

/** The bpmn-engine extension that gives Camunda 8 files their Zeebe meaning. */
export function zeebeExtension(hooks: ExtensionHooks) {
  return function zeebe(activity: any) {
    const loop = activity.behaviour.loopCharacteristics;
    const zeebeLoop = extensionOf(loop, 'zeebe:LoopCharacteristics');
    if (zeebeLoop) {
      // Replaced, never mutated: the definition is shared by every instance of the version.
      activity.behaviour.loopCharacteristics = {
        ...loop,
        behaviour: { ...loop.behaviour, collection: zeebeLoop.inputCollection, elementVariable: zeebeLoop.inputElement },
      };
    }
    const iterationLocals = (content: any): Vars =>
      zeebeLoop?.inputElement && content.isMultiInstance
        ? { [zeebeLoop.inputElement]: content[zeebeLoop.inputElement], loopCounter: content.index + 1 }
        : {};
    const scopeOf = (content: any): Vars => ({
      ...processVariables(activity.environment),
      ...(content.zeebeLocals ?? {}),
      ...iterationLocals(content),
    });

    const taskDefinition = extensionOf(activity, 'zeebe:TaskDefinition');
    const calledDecision = extensionOf(activity, 'zeebe:CalledDecision');
    if (calledDecision) {
      activity.behaviour.Service = function DecisionService() {
        return {
          execute(message: any, callback: ServiceCallback) {
            try {
              const scope = scopeOf(message.content);
              const decisionId = String(resolveProperty(calledDecision.decisionId, scope, `${activity.id} decisionId`));
              callback(null, { [calledDecision.resultVariable]: hooks.evaluateDecision(decisionId, scope) });
            } catch (error) {
              callback(error as Error);
            }
          },
        };
      };
    } else if (taskDefinition && activity.type !== 'bpmn:UserTask') {
      activity.behaviour.Service = function JobService() {
        return {
          execute(message: any, callback: ServiceCallback) {
            try {
              const scope = scopeOf(message.content);
              hooks.onJob(
                {
                  executionId: message.content.executionId,
                  elementId: activity.id,
                  type: String(resolveProperty(taskDefinition.type, scope, `${activity.id} type`)),
                  retries: Number(resolveProperty(taskDefinition.retries ?? '3', scope, `${activity.id} retries`)),
                  headers: headersOf(activity),
                  variables: scope,
                  redelivered: Boolean(message.fields?.redelivered),
                },
                callback,
              );
            } catch (error) {
              callback(error as Error);
            }
          },
        };
      };
    }

    return {
      activate(message: any) {
        const broker = activity.broker;
        broker.subscribeTmp(
          'event',
          'activity.execution.completed',
          (_routingKey: string, completed: any) => {
            if (completed.content.isRootScope === false) return;
            const variables = activity.environment.variables;
            const output = completed.content.output;
            if (zeebeLoop && Array.isArray(output)) {
              if (zeebeLoop.outputCollection) {
                variables[zeebeLoop.outputCollection] = output.map((o: unknown) =>
                  resolveProperty(
                    zeebeLoop.outputElement,
                    { ...processVariables(activity.environment), ...resultOf(o) },
                    `${activity.id} outputElement`,
                  ),
                );
              }
              return;
            }
            const caught = caughtErrorVariables(output);
            if (caught) {
              // Without output mappings the error's variables stay in the catch event's scope, as on Zeebe.
              if (extensionOf(activity, 'zeebe:IoMapping')?.outputParameters?.length)
                Object.assign(variables, outputMappings(activity, caught, scopeOf(completed.content)));
              return;
            }
            Object.assign(variables, outputMappings(activity, resultOf(output), scopeOf(completed.content)));
          },
          { noAck: true, consumerTag: '_zeebe-output' },
        );
        // What is published on `format` before the next run message is merged into its content: the input mappings.
        if (message.fields.routingKey === 'run.enter' && !message.fields.redelivered) {
          broker.publish('format', 'run.zeebe.inputs', { zeebeLocals: inputMappings(activity, processVariables(activity.environment)) });
        }
      },
      deactivate() {
        activity.broker.cancel('_zeebe-output');
      },
    };
  };
}

/** User task data from `zeebe:*` extensions, evaluated on the task's scope. */
export function userTaskOf(element: any, scope: Vars) {
  const assignment = extensionOf(element, 'zeebe:AssignmentDefinition');
  const schedule = extensionOf(element, 'zeebe:TaskSchedule');
  const form = extensionOf(element, 'zeebe:FormDefinition');
  const list = (value: unknown): string[] => {
    if (Array.isArray(value)) return value.map(String);
    if (typeof value === 'string')
      return value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    return [];
  };
  const date = (value: unknown): string | null => (value ? new Date(String(value)).toISOString() : null);
  return {
    candidateGroups: list(resolveProperty(assignment?.candidateGroups, scope, `${element.id} candidateGroups`)),
    candidateUsers: list(resolveProperty(assignment?.candidateUsers, scope, `${element.id} candidateUsers`)),
    assignee: (resolveProperty(assignment?.assignee, scope, `${element.id} assignee`) as string | undefined) ?? null,
    dueDate: date(resolveProperty(schedule?.dueDate, scope, `${element.id} dueDate`)),
    followUpDate: date(resolveProperty(schedule?.followUpDate, scope, `${element.id} followUpDate`)),
    formKey: (form?.formId ?? form?.formKey ?? null) as string | null,
    headers: headersOf(element),
  };
}
