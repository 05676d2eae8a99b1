import { evaluate, isFunction, isRange, parseExpression, parseUnaryTests, unaryTest, type EvalContext } from 'feelin';

/** A FEEL expression failed to parse or evaluate; names the expression and where it stands. */
export class FeelError extends Error {
  constructor(
    readonly expression: string,
    readonly where: string,
    readonly reason: unknown,
  ) {
    super(`FEEL ${where}: ${JSON.stringify(expression)}: ${(reason as Error)?.message ?? String(reason)}`);
    this.name = 'FeelError';
  }
}

/** Zeebe marks an expression by a leading `=`; anything else is a static value. */
export const isFeel = (value: unknown): value is string => typeof value === 'string' && value.trimStart().startsWith('=');

export const feelBody = (value: string): string => value.trimStart().slice(1);

/** feelin's temporal and range values as plain JSON (ISO strings), as Zeebe would hand them to a worker. */
export function toJson(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map(toJson);
  if (isFunction(value)) return null;
  if (isRange(value)) return String(value);
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return String(value);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = toJson(v);
    return out;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
}

const NAMELESS_CACHE = 10_000;
const nameless = new Map<string, boolean>();

/**
 * Whether an expression names no variable (a literal, a comparison with one, a range): then it is evaluated without
 * the variables. feelin copies and indexes every variable at each evaluation, which made a review table's dozens of
 * literal rule entries cost milliseconds each over a large application form. Anything it cannot tell runs with all.
 */
function namesNothing(kind: 'expression' | 'unary-tests', text: string): boolean {
  const key = `${kind}:${text}`;
  let free = nameless.get(key);
  if (free === undefined) {
    let names = false;
    try {
      (kind === 'unary-tests' ? parseUnaryTests : parseExpression)(text, {}, undefined).iterate({
        enter(node) {
          if (node.type.isError || node.name === 'VariableName') names = true;
          return !names;
        },
      });
    } catch {
      names = true;
    }
    free = !names;
    if (nameless.size >= NAMELESS_CACHE) nameless.clear();
    nameless.set(key, free);
  }
  return free;
}

/** Evaluates a FEEL expression (without its `=`) over the variables. */
export function evaluateFeel(expression: string, context: EvalContext, where = 'expression'): unknown {
  try {
    return toJson(evaluate(expression, namesNothing('expression', expression) ? {} : context).value);
  } catch (error) {
    throw new FeelError(expression, where, error);
  }
}

/** A Zeebe property: FEEL when it starts with `=`, else the text itself. */
export function resolveProperty(value: string | undefined, context: EvalContext, where: string): unknown {
  if (value === undefined) return undefined;
  return isFeel(value) ? evaluateFeel(feelBody(value), context, where) : value;
}

/** A DMN input entry: `-` or empty matches anything. */
export function matchesUnaryTest(test: string, input: unknown, context: EvalContext, where: string): boolean {
  const trimmed = test.trim();
  if (trimmed === '' || trimmed === '-') return true;
  try {
    return unaryTest(trimmed, namesNothing('unary-tests', trimmed) ? { '?': input } : { ...context, '?': input }).value === true;
  } catch (error) {
    throw new FeelError(trimmed, where, error);
  }
}
