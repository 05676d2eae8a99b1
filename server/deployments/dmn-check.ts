import { feelSyntaxError, feelUnknownFunctions, type FeelGrammar } from './feel';
import { createDmnModdle, type ModdleElement } from './moddle';
import { parseFailure, warningProblem } from './xml-problems';
import type { FileCheck, Problem } from './types';

/** Parses a DMN file and every FEEL text of its decisions: input expressions, rule entries, literal expressions. */
export class DmnChecker {
  private readonly moddle = createDmnModdle();

  async check(file: string, xml: string): Promise<FileCheck> {
    const result: FileCheck = { resources: [], errors: [], warnings: [] };
    let definitions: ModdleElement;
    try {
      const parsed = await this.moddle.fromXML(xml, 'dmn:Definitions');
      definitions = parsed.rootElement;
      result.errors.push(...parsed.warnings.map((warning) => warningProblem(file, xml, warning)));
    } catch (error) {
      result.errors.push(parseFailure(file, xml, error));
      return result;
    }
    const drgElements: ModdleElement[] = definitions.drgElement ?? [];
    result.errors.push(...requirementProblems(file, drgElements));
    const decisions = drgElements.filter((element) => element.$instanceOf('dmn:Decision'));
    for (const decision of decisions) {
      if (!decision.id) {
        result.errors.push({ file, message: `A decision${decision.name ? ` (${decision.name})` : ''} has no id` });
        continue;
      }
      result.resources.push({ kind: 'dmn', id: decision.id, name: decision.name || null });
      result.errors.push(...decisionProblems(file, decision));
    }
    if (!decisions.length) result.errors.push({ file, elementId: definitions.id, message: 'The file has no decision' });
    return result;
  }
}

const REQUIREMENTS = ['informationRequirement', 'knowledgeRequirement', 'authorityRequirement'];
const REQUIRED = ['requiredDecision', 'requiredInput', 'requiredKnowledge', 'requiredAuthority'];

/** DMN requirements point by href ("#id"), which moddle leaves unresolved: each must name an element of the file. */
function requirementProblems(file: string, drgElements: ModdleElement[]): Problem[] {
  const ids = new Set(drgElements.map((element) => element.id));
  const problems: Problem[] = [];
  for (const element of drgElements) {
    for (const requirement of REQUIREMENTS.flatMap((name) => (element[name] ?? []) as ModdleElement[])) {
      for (const reference of REQUIRED.map((name) => requirement[name]).filter(Boolean)) {
        const href = String(reference.href ?? '');
        if (!ids.has(href.replace(/^#/, ''))) {
          problems.push({ file, elementId: element.id, message: `${element.id} requires "${href}", which is not in the file` });
        }
      }
    }
  }
  return problems;
}

function decisionProblems(file: string, decision: ModdleElement): Problem[] {
  const problems: Problem[] = [];
  const feel = (elementId: string | undefined, what: string, text: string | undefined, grammar: FeelGrammar) => {
    const kind = grammar === 'unaryTests' ? 'FEEL unary tests' : 'FEEL expression';
    const reason = feelSyntaxError(text ?? '', grammar);
    if (reason) {
      problems.push({
        file,
        elementId,
        rule: 'feel-syntax',
        message: `Decision ${decision.id}, ${what}: the ${kind} does not parse (${reason}): ${text ?? ''}`,
      });
    }
    for (const name of feelUnknownFunctions(text ?? '', grammar)) {
      problems.push({
        file,
        elementId,
        rule: 'feel-function',
        message: `Decision ${decision.id}, ${what}: the ${kind} calls the function "${name}", which does not exist (it would evaluate to null and the rule would never apply): ${text ?? ''}`,
      });
    }
  };
  const logic = decision.decisionLogic as ModdleElement | undefined;
  if (logic?.$instanceOf('dmn:LiteralExpression')) {
    feel(decision.id, 'literal expression', logic.text, 'expression');
  } else if (logic?.$instanceOf('dmn:DecisionTable')) {
    const inputs: ModdleElement[] = logic.input ?? [];
    const outputs: ModdleElement[] = logic.output ?? [];
    const label = (clause: ModdleElement, n: number) => `"${clause.label || clause.name || clause.id || n + 1}"`;
    if (!outputs.length)
      problems.push({ file, elementId: logic.id ?? decision.id, message: `Decision ${decision.id}: the table has no output` });
    inputs.forEach((input, n) => feel(input.id ?? decision.id, `input ${label(input, n)}`, input.inputExpression?.text, 'expression'));
    for (const rule of (logic.rule ?? []) as ModdleElement[]) {
      const inputEntries: ModdleElement[] = rule.inputEntry ?? [];
      const outputEntries: ModdleElement[] = rule.outputEntry ?? [];
      if (inputEntries.length !== inputs.length || outputEntries.length !== outputs.length) {
        problems.push({
          file,
          elementId: rule.id,
          message: `Decision ${decision.id}, rule ${rule.id}: has ${inputEntries.length} input and ${outputEntries.length} output entries; the table has ${inputs.length} inputs and ${outputs.length} outputs`,
        });
        continue;
      }
      inputEntries.forEach((entry, n) => feel(rule.id, `rule ${rule.id}, input ${label(inputs[n], n)}`, entry.text, 'unaryTests'));
      outputEntries.forEach((entry, n) => {
        if (entry.text?.trim()) feel(rule.id, `rule ${rule.id}, output ${label(outputs[n], n)}`, entry.text, 'expression');
      });
    }
  } else {
    problems.push({
      file,
      elementId: decision.id,
      message: `Decision ${decision.id} has neither a decision table nor a literal expression`,
    });
  }
  return problems;
}
