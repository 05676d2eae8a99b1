import type { ProcessInstance } from '../api/types';
import type { ProcessEditor } from '../bpmn/editor';

/** A message the tried instance waits for: its name, and the correlation key its subscription computes, when known. */
export interface AwaitedMessage {
  name: string;
  elementId: string;
  /** The key the instance subscribed with, read from its variables; undefined when the expression is not a plain path. */
  correlationKey?: string;
  /** The subscription's FEEL expression (`=applicationId`), shown when the key cannot be read. */
  expression?: string;
}

interface ModdleElement {
  $type: string;
  id?: string;
  name?: string;
  messageRef?: ModdleElement;
  eventDefinitions?: ModdleElement[];
  extensionElements?: { values?: (ModdleElement & { correlationKey?: string })[] };
}

interface Shape {
  id: string;
  businessObject: ModdleElement;
  attachers?: Shape[];
  outgoing?: { target?: Shape }[];
}

const PLAIN_PATH = /^=\s*([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)\s*$/;

/**
 * The messages the active elements of `instance` wait for: a message catch event or receive task that is active, the
 * message boundary events of an active task, and the message events after an active event-based gateway.
 */
export function awaitedMessages(editor: ProcessEditor, instance: ProcessInstance): AwaitedMessage[] {
  const registry = editor.service<{ get(id: string): Shape | undefined }>('elementRegistry');
  const found = new Map<string, AwaitedMessage>();
  const add = (shape: Shape | undefined) => {
    const message = shape && messageOf(shape.businessObject);
    if (!shape || !message?.name) return;
    const expression = message.extensionElements?.values?.find((v) => v.$type === 'zeebe:Subscription')?.correlationKey;
    const path = expression ? PLAIN_PATH.exec(expression)?.[1] : undefined;
    const value = path ? valueAt(instance.variables, path) : undefined;
    const correlationKey = value === undefined || value === null || typeof value === 'object' ? undefined : String(value);
    found.set(`${message.name} ${shape.id}`, { name: message.name, elementId: shape.id, correlationKey, expression });
  };
  for (const id of instance.activeElements) {
    const shape = registry.get(id);
    if (!shape) continue;
    add(shape);
    for (const attacher of shape.attachers ?? []) add(attacher);
    if (shape.businessObject.$type === 'bpmn:EventBasedGateway') for (const flow of shape.outgoing ?? []) add(flow.target);
  }
  return [...found.values()];
}

function messageOf(element: ModdleElement): ModdleElement | undefined {
  if (element.$type === 'bpmn:ReceiveTask') return element.messageRef;
  return element.eventDefinitions?.find((d) => d.$type === 'bpmn:MessageEventDefinition')?.messageRef;
}

function valueAt(variables: Record<string, unknown>, path: string): unknown {
  let value: unknown = variables;
  for (const part of path.split('.')) {
    if (!value || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}
