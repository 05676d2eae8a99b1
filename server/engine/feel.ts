import { evaluate, isFunction, isRange, parseExpression, parseUnaryTests, unaryTest, type EvalContext, type Warning } from 'feelin';

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

const NAMES_CACHE = 10_000;
/** The variables each expression names, by kind and text; null when that cannot be told from the text alone. */
const namesOf = new Map<string, string[] | null>();

function referencedNames(kind: 'expression' | 'unary-tests', text: string): string[] | null {
  const key = `${kind}:${text}`;
  let names = namesOf.get(key);
  if (names === undefined) {
    const found = new Set<string>();
    let unknown = false;
    try {
      (kind === 'unary-tests' ? parseUnaryTests : parseExpression)(text, {}, undefined).iterate({
        enter(node) {
          if (node.type.isError) unknown = true;
          else if (node.name === 'VariableName') found.add(text.slice(node.from, node.to));
          return !unknown;
        },
      });
    } catch {
      unknown = true;
    }
    names = unknown ? null : [...found];
    if (namesOf.size >= NAMES_CACHE) namesOf.clear();
    namesOf.set(key, names);
  }
  return names;
}

/**
 * The variables an expression reads: only those it names. feelin copies and indexes every variable it is given at
 * each evaluation, which made each of a review table's entries cost milliseconds over a large application form. A
 * name that is not a variable here (a function, a context entry of the expression's own, a name the text alone
 * cannot tell) gives it all of them.
 */
function scopeFor(kind: 'expression' | 'unary-tests', text: string, context: EvalContext): EvalContext {
  const names = referencedNames(kind, text);
  if (!names || !names.every((name) => Object.hasOwn(context, name))) return context;
  const scope: EvalContext = {};
  for (const name of names) scope[name] = context[name];
  return scope;
}

/** How an evaluation treats feelin's warnings: `strict` fails on those that mean the expression could not be computed. */
export interface FeelOptions {
  strict?: boolean;
}

/** A FEEL expression that parsed but could not be computed: a function that does not exist or that refused its arguments. */
export class FeelEvaluationFailure extends Error {
  constructor(readonly warnings: Warning[]) {
    super(warnings.map((w) => w.message).join('; '));
    this.name = 'FeelEvaluationFailure';
  }
}

const isNull = (value: unknown) => value === null || value === undefined;

/**
 * The warnings that say the expression failed, not FEEL's null semantics. feelin never throws at evaluation: it
 * answers null with warnings. A missing variable, context entry or property, and a comparison of unlike values, are
 * null as FEEL defines them; so is a function or operator given null (date(null), null + 1). A function that does not
 * exist, a call with the wrong parameters, an argument the function cannot use (date("abc")) or an operator over
 * values of the wrong type ("a" - 1) is a mistake of the expression: its null would let a rule silently not match.
 */
export function evaluationFailures(warnings: Warning[]): Warning[] {
  return warnings.filter((warning) => {
    switch (warning.type) {
      case 'NO_FUNCTION_FOUND':
      case 'FUNCTION_INVOCATION_FAILURE':
      case 'UNSUPPORTED':
        return true;
      case 'INVALID_ARGUMENTS':
      case 'INVALID_TYPE':
        return !Object.values(warning.details?.values ?? {}).some(isNull);
      default:
        return false;
    }
  });
}

/** The warnings as one reason, each with the text of the expression it is about. */
function failureReason(text: string, failures: Warning[]): FeelEvaluationFailure {
  const described = failures.map((w) => {
    const at = w.position ? text.slice(w.position.from, w.position.to) : '';
    const message = w.type === 'NO_FUNCTION_FOUND' ? `no such function: ${at.replace(/\s*\([\s\S]*$/, '')}` : w.message;
    return { ...w, message: at && w.type !== 'NO_FUNCTION_FOUND' ? `${message} (at ${at})` : message };
  });
  return new FeelEvaluationFailure(described);
}

/** Evaluates a FEEL expression (without its `=`) over the variables. */
export function evaluateFeel(expression: string, context: EvalContext, where = 'expression', options: FeelOptions = {}): unknown {
  let result: ReturnType<typeof evaluate>;
  try {
    result = evaluate(expression, scopeFor('expression', expression, context));
  } catch (error) {
    throw new FeelError(expression, where, error);
  }
  const failures = options.strict ? evaluationFailures(result.warnings) : [];
  if (failures.length) throw new FeelError(expression, where, failureReason(expression, failures));
  return toJson(result.value);
}

/** A Zeebe property: FEEL when it starts with `=`, else the text itself. */
export function resolveProperty(value: string | undefined, context: EvalContext, where: string): unknown {
  if (value === undefined) return undefined;
  return isFeel(value) ? evaluateFeel(feelBody(value), context, where) : value;
}

/** A DMN input entry: `-` or empty matches anything. */
export function matchesUnaryTest(test: string, input: unknown, context: EvalContext, where: string, options: FeelOptions = {}): boolean {
  const trimmed = test.trim();
  if (trimmed === '' || trimmed === '-') return true;
  let result: ReturnType<typeof unaryTest>;
  try {
    result = unaryTest(trimmed, { ...scopeFor('unary-tests', trimmed, context), '?': input });
  } catch (error) {
    throw new FeelError(trimmed, where, error);
  }
  const failures = options.strict ? evaluationFailures(result.warnings) : [];
  if (failures.length) throw new FeelError(trimmed, where, failureReason(trimmed, failures));
  return result.value === true;
}
