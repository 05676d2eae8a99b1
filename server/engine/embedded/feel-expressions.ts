import * as Elements from 'bpmn-elements';
import { evaluateFeel, feelBody, isFeel } from '../feel';

/** The process variables of an element's environment, without what bpmn-elements copies in from its run message. */
export function processVariables(environment: { variables?: Record<string, unknown> } | undefined): Record<string, unknown> {
  const { fields: _f, content: _c, properties: _p, ...variables } = environment?.variables ?? {};
  return variables;
}

/** What a FEEL expression sees on an element: the process variables, then the element's local (input-mapped) ones. */
export function scopeOf(context: { environment?: any; content?: any } | undefined): Record<string, unknown> {
  const content = context?.content ?? {};
  return { ...processVariables(context?.environment), ...(content.zeebeLocals ?? {}), ...(content.iterationLocals ?? {}) };
}

const defaults = new (Elements as any).Environment().expressions;

/** bpmn-engine's expression hook: Zeebe's `=` FEEL expressions, everything else as bpmn-engine would. */
export const feelExpressions = {
  resolveExpression(expression: unknown, context: any, fnContext?: unknown) {
    if (isFeel(expression)) return evaluateFeel(feelBody(expression), scopeOf(context), context?.content?.id ?? 'expression');
    return defaults.resolveExpression(expression, context, fnContext);
  },
  isExpression: (text: unknown) => isFeel(text) || defaults.isExpression(text),
  hasExpression: (text: unknown) => isFeel(text) || defaults.hasExpression(text),
};
