import { evaluate, parseExpression, parseUnaryTests } from 'feelin';

export type FeelGrammar = 'expression' | 'unaryTests';

/** Why `source` is not FEEL of that grammar, or undefined when it parses (the engine evaluates it with feelin too). */
export function feelSyntaxError(source: string, grammar: FeelGrammar): string | undefined {
  if (!source.trim()) return grammar === 'expression' ? 'the expression is empty' : undefined;
  const tree = grammar === 'expression' ? parseExpression(source, {}, undefined) : parseUnaryTests(source, {}, undefined);
  let at: number | undefined;
  tree.iterate({
    enter(node) {
      if (at !== undefined) return false;
      if (node.type.isError) at = node.from;
      return undefined;
    },
  });
  if (at === undefined) return undefined;
  const rest = source.slice(at).trim();
  if (!rest) return 'it ends too early (incomplete)';
  return `unexpected "${rest.length > 24 ? rest.slice(0, 24) + '…' : rest}" at character ${at + 1}`;
}

const builtins = new Map<string, boolean>();

/** feelin resolves a name it has no variable for to its built-in function of that name, if there is one. */
function isBuiltin(name: string): boolean {
  let known = builtins.get(name);
  if (known === undefined) {
    try {
      known = typeof evaluate(name, {}).value === 'function';
    } catch {
      known = false;
    }
    builtins.set(name, known);
  }
  return known;
}

const BINDING_PARENTS = new Set(['Key', 'ParameterName', 'InExpression', 'QuantifiedInExpression']);

/**
 * The functions `source` calls by name that neither the evaluator (feelin, on either engine) knows nor the expression
 * itself defines (a context entry, a parameter, an iteration variable): each call would evaluate to null at run time,
 * so a rule using one would silently never match. Variables cannot hold functions: they are JSON.
 */
export function feelUnknownFunctions(source: string, grammar: FeelGrammar): string[] {
  if (!source.trim() || feelSyntaxError(source, grammar)) return [];
  const tree = grammar === 'expression' ? parseExpression(source, {}, undefined) : parseUnaryTests(source, {}, undefined);
  const bound = new Set<string>();
  const called: string[] = [];
  const name = (from: number, to: number) => source.slice(from, to).trim().replace(/\s+/g, ' ');
  tree.iterate({
    enter(node) {
      if (node.name === 'Name' && BINDING_PARENTS.has(node.node.parent?.name ?? '')) bound.add(name(node.from, node.to));
      if (node.name === 'StringLiteral' && node.node.parent?.name === 'Key') bound.add(name(node.from + 1, node.to - 1));
      if (node.name === 'FunctionInvocation') {
        const callee = node.node.firstChild;
        if (callee?.name === 'VariableName') called.push(name(callee.from, callee.to));
      }
    },
  });
  return [...new Set(called.filter((callee) => !bound.has(callee) && !isBuiltin(callee)))];
}
