import { parseExpression, parseUnaryTests } from 'feelin';

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
