import type { ModdleElement } from '../moddle';

/** The first extension element of `type` on `element`, e.g. its `zeebe:TaskDefinition`. */
export function extensionOf(element: ModdleElement, type: string): ModdleElement | undefined {
  const values: ModdleElement[] = element.extensionElements?.values ?? [];
  return values.find((value) => value.$instanceOf(type));
}

/** The job type an element hands to workers, trimmed; undefined when it has no task definition. */
export function jobTypeOf(element: ModdleElement): string | undefined {
  const definition = extensionOf(element, 'zeebe:TaskDefinition');
  if (!definition) return undefined;
  return String(definition.type ?? '').trim();
}

/** Every flow element of a process or sub-process, those of nested sub-processes included. */
export function* flowElementsDeep(container: ModdleElement): Generator<ModdleElement> {
  for (const element of (container.flowElements ?? []) as ModdleElement[]) {
    yield element;
    if (element.$instanceOf('bpmn:SubProcess')) yield* flowElementsDeep(element);
  }
}
