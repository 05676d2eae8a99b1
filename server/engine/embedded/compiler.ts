import { createRequire } from 'node:module';
import { BpmnModdle } from 'bpmn-moddle';
import * as Elements from 'bpmn-elements';
import serializer, { TypeResolver, type SerializableContext } from 'moddle-context-serializer';

const require = createRequire(import.meta.url);
const zeebe = require('zeebe-bpmn-moddle/resources/zeebe.json');

// A Zeebe script task with a job type is a job like a service task.
const typeResolver = TypeResolver({ ...Elements }, (types) => {
  types['bpmn:ScriptTask'] = (Elements as Record<string, unknown>).ServiceTask;
});

/** Parses a deployed BPMN file once per version; every instance of that version shares the result (never mutate it). */
export async function compileBpmn(xml: string): Promise<SerializableContext> {
  const moddleContext = await new BpmnModdle({ zeebe }).fromXML(xml);
  const warnings = (moddleContext as { warnings?: { message: string }[] }).warnings ?? [];
  if (warnings.length) throw new Error(`BPMN does not parse: ${warnings.map((w) => w.message).join('; ')}`);
  const context = serializer(moddleContext, typeResolver);
  // bpmn-engine puts the serialized definition in every getState(); it never changes, so serialize it once.
  const serialized = context.serialize();
  context.serialize = () => serialized;
  return context;
}
