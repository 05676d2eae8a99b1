import { DmnModdle } from 'dmn-moddle';
import { evaluateFeel, FeelError, matchesUnaryTest } from '../feel';

/**
 * A decision whose evaluation failed: names the decision, the rule or the input, and the expression (a case never
 * passes on it).
 */
export class DecisionError extends Error {
  constructor(
    message: string,
    readonly decisionId: string,
    readonly ruleId?: string,
    readonly expression?: string,
    readonly inputId?: string,
  ) {
    super(message);
    this.name = 'DecisionError';
  }
}

interface Text {
  text?: string;
}
interface Moddle {
  $type: string;
  id: string;
  name?: string;
}
interface DecisionTable extends Moddle {
  hitPolicy?: string;
  aggregation?: string;
  input: (Moddle & { inputExpression?: Text })[];
  output: (Moddle & { outputValues?: Text })[];
  rule: (Moddle & { inputEntry: Text[]; outputEntry: Text[] })[];
}
interface Decision extends Moddle {
  decisionLogic?: DecisionTable | (Moddle & Text);
  informationRequirement?: { requiredDecision?: { href: string } }[];
}

export type Context = Record<string, unknown>;

/** The decisions of one deployed DMN file, parsed once per version. */
export class DecisionSet {
  private constructor(private readonly decisions: Map<string, Decision>) {}

  static async parse(xml: string): Promise<DecisionSet> {
    const { rootElement, warnings } = await new DmnModdle().fromXML(xml, 'dmn:Definitions');
    if (warnings.length) throw new Error(`DMN does not parse: ${warnings.map((w: { message: string }) => w.message).join('; ')}`);
    const decisions = new Map<string, Decision>();
    for (const element of (rootElement as { drgElement?: Decision[] }).drgElement ?? []) {
      if (element.$type === 'dmn:Decision') decisions.set(element.id, element);
    }
    return new DecisionSet(decisions);
  }

  ids(): string[] {
    return [...this.decisions.keys()];
  }

  has(id: string): boolean {
    return this.decisions.has(id);
  }

  /** Evaluates a decision (and, first, the decisions it requires, whose results join the context by id). */
  evaluate(id: string, context: Context, seen: string[] = []): unknown {
    const decision = this.decisions.get(id);
    if (!decision) throw new DecisionError(`no decision ${id}`, id);
    if (seen.includes(id)) throw new DecisionError(`decision ${id} requires itself (${[...seen, id].join(' → ')})`, id);
    const scope: Context = { ...context };
    for (const requirement of decision.informationRequirement ?? []) {
      const required = requirement.requiredDecision?.href.replace(/^#/, '');
      if (required) scope[required] = this.evaluate(required, context, [...seen, id]);
    }
    const logic = decision.decisionLogic;
    if (!logic) throw new DecisionError(`decision ${id} has no logic`, id);
    if (logic.$type === 'dmn:LiteralExpression') {
      const text = (logic as Text).text ?? '';
      return guard({ decisionId: id }, text, () => evaluateFeel(text, scope, `decision ${id}`, STRICT));
    }
    if (logic.$type !== 'dmn:DecisionTable') throw new DecisionError(`decision ${id}: ${logic.$type} is not supported`, id);
    return evaluateTable(id, logic as DecisionTable, scope);
  }
}

/**
 * Decisions fail on an expression that could not be computed (a function that does not exist, date("abc")): its null
 * would make a rule silently not match, and a review table pass a case it was meant to stop.
 */
const STRICT = { strict: true };

interface Where {
  decisionId: string;
  ruleId?: string;
  inputId?: string;
}

function guard<T>(where: Where, expression: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof FeelError) {
      const { decisionId, ruleId, inputId } = where;
      const place = ruleId ? ` rule ${ruleId}` : inputId ? ` input ${inputId}` : '';
      throw new DecisionError(`decision ${decisionId}${place}: ${error.message}`, decisionId, ruleId, expression, inputId);
    }
    throw error;
  }
}

function evaluateTable(decisionId: string, table: DecisionTable, context: Context): unknown {
  const inputs = table.input.map((input) => {
    const text = input.inputExpression?.text ?? '';
    return guard({ decisionId, inputId: input.id }, text, () => evaluateFeel(text, context, `input ${input.id}`, STRICT));
  });
  const matched = table.rule.filter((rule) =>
    rule.inputEntry.every((entry, i) =>
      guard({ decisionId, ruleId: rule.id }, entry.text ?? '', () =>
        matchesUnaryTest(entry.text ?? '', inputs[i], context, `input entry ${i + 1}`, STRICT),
      ),
    ),
  );
  const outputs = matched.map((rule) => {
    const values = rule.outputEntry.map((entry, j) => {
      const text = (entry.text ?? '').trim();
      return text === ''
        ? null
        : guard({ decisionId, ruleId: rule.id }, text, () => evaluateFeel(text, context, `output entry ${j + 1}`, STRICT));
    });
    if (table.output.length === 1) return values[0];
    return Object.fromEntries(table.output.map((output, i) => [output.name ?? output.id, values[i]]));
  });
  return applyHitPolicy(
    decisionId,
    table,
    matched.map((r) => r.id),
    outputs,
  );
}

function applyHitPolicy(decisionId: string, table: DecisionTable, ruleIds: string[], outputs: unknown[]): unknown {
  const policy = (table.hitPolicy ?? 'UNIQUE').toUpperCase();
  switch (policy) {
    case 'UNIQUE':
      if (outputs.length > 1) {
        throw new DecisionError(`decision ${decisionId}: hit policy UNIQUE but rules ${ruleIds.join(', ')} all match`, decisionId);
      }
      return outputs[0] ?? null;
    case 'FIRST':
      return outputs[0] ?? null;
    case 'ANY': {
      const distinct = new Set(outputs.map((o) => JSON.stringify(o)));
      if (distinct.size > 1) throw new DecisionError(`decision ${decisionId}: hit policy ANY but matching rules disagree`, decisionId);
      return outputs[0] ?? null;
    }
    case 'PRIORITY':
      return byPriority(table, outputs)[0] ?? null;
    case 'OUTPUT ORDER':
      return byPriority(table, outputs);
    case 'RULE ORDER':
      return outputs;
    case 'COLLECT':
      return aggregate(decisionId, table.aggregation, outputs);
    default:
      throw new DecisionError(`decision ${decisionId}: hit policy ${policy} is not supported`, decisionId);
  }
}

/** Orders outputs by the position of their first output's value in that output's listed values. */
function byPriority(table: DecisionTable, outputs: unknown[]): unknown[] {
  const listed = table.output[0]?.outputValues?.text;
  if (!listed) return outputs;
  const order = listed.split(',').map((v) => v.trim().replace(/^"|"$/g, ''));
  const first = (o: unknown) => (table.output.length === 1 ? o : (o as Record<string, unknown>)[table.output[0].name ?? '']);
  const rank = (o: unknown) => {
    const i = order.indexOf(String(first(o)));
    return i < 0 ? order.length : i;
  };
  return [...outputs].sort((a, b) => rank(a) - rank(b));
}

function aggregate(decisionId: string, aggregation: string | undefined, outputs: unknown[]): unknown {
  if (!aggregation) return outputs;
  if (aggregation === 'COUNT') return outputs.length;
  const numbers = outputs.map((o) => {
    if (typeof o !== 'number')
      throw new DecisionError(`decision ${decisionId}: ${aggregation} needs numbers, got ${JSON.stringify(o)}`, decisionId);
    return o;
  });
  if (!numbers.length) return null;
  if (aggregation === 'SUM') return numbers.reduce((a, b) => a + b, 0);
  if (aggregation === 'MIN') return Math.min(...numbers);
  if (aggregation === 'MAX') return Math.max(...numbers);
  throw new DecisionError(`decision ${decisionId}: aggregation ${aggregation} is not supported`, decisionId);
}
