import type { BpmnLinter } from './bpmn-linter';
import { feelSyntaxError } from './feel';
import { createBpmnModdle, type ModdleElement } from './moddle';
import { parseFailure, warningProblem } from './xml-problems';
import type { FileCheck, Problem } from './types';

const TARGET_PLATFORM = 'Camunda Cloud';
const LINTED_VERSION = [8, 8];

// Values that are literal text even when they start with "=": names, documentation, headers, variable targets.
const LITERAL_TYPES = new Set(['bpmn:Documentation', 'bpmn:TextAnnotation', 'zeebe:Header', 'zeebe:Property']);
const LITERAL_PROPERTIES = new Set(['id', 'name', 'target', 'resultVariable', 'inputElement', 'outputCollection']);

/** Parses a BPMN file with the Zeebe extensions, lints it for Camunda 8.8 and parses every FEEL expression in it. */
export class BpmnChecker {
  private readonly moddle = createBpmnModdle();

  constructor(private readonly linter: BpmnLinter) {}

  async check(file: string, xml: string): Promise<FileCheck> {
    const result: FileCheck = { resources: [], errors: [], warnings: [] };
    let definitions: ModdleElement;
    try {
      const parsed = await this.moddle.fromXML(xml, 'bpmn:Definitions');
      definitions = parsed.rootElement;
      result.errors.push(...parsed.warnings.map((warning) => warningProblem(file, xml, warning)));
    } catch (error) {
      result.errors.push(parseFailure(file, xml, error));
      return result;
    }
    // Lint rules assume every reference resolves: a dangling one makes them throw rather than report.
    if (result.errors.length) return result;

    this.checkPlatform(file, definitions, result);
    for (const report of await this.linter.lint(definitions)) {
      const problem: Problem = { file, elementId: report.elementId, rule: report.rule, message: report.message };
      (report.category === 'error' || report.category === 'rule-error' ? result.errors : result.warnings).push(problem);
    }
    result.errors.push(...feelProblems(file, definitions));

    for (const root of definitions.rootElements ?? []) {
      if (!root.$instanceOf('bpmn:Process') || !root.isExecutable) continue;
      if (root.id) result.resources.push({ kind: 'bpmn', id: root.id, name: root.name || null });
      else result.errors.push({ file, message: `An executable process${root.name ? ` (${root.name})` : ''} has no id` });
    }
    if (!result.resources.length) {
      result.errors.push({ file, elementId: definitions.id, message: 'The file has no executable process (isExecutable="true")' });
    }
    return result;
  }

  private checkPlatform(file: string, definitions: ModdleElement, result: FileCheck): void {
    const platform = definitions.get('modeler:executionPlatform');
    const version = definitions.get('modeler:executionPlatformVersion');
    if (platform !== TARGET_PLATFORM) {
      result.errors.push({
        file,
        elementId: definitions.id,
        message: platform
          ? `The file is made for "${platform}"; this platform runs Camunda 8 files (modeler:executionPlatform="${TARGET_PLATFORM}")`
          : `modeler:executionPlatform="${TARGET_PLATFORM}" is missing on bpmn:definitions: design the file for Camunda 8`,
      });
      return;
    }
    const [major, minor] = String(version ?? '').split('.').map(Number);
    if (major > LINTED_VERSION[0] || (major === LINTED_VERSION[0] && minor > LINTED_VERSION[1])) {
      result.warnings.push({
        file,
        elementId: definitions.id,
        message: `The file targets Camunda ${version}; it was checked against ${LINTED_VERSION.join('.')} only`,
      });
    }
  }
}

interface Found {
  owner: ModdleElement;
  where: string;
  expression: string;
}

/** Every "=..." value of the process elements and their Zeebe extensions, with the flow element it belongs to. */
function collectFeel(element: ModdleElement, owner: ModdleElement | undefined, via: string, found: Found[], seen: Set<ModdleElement>): void {
  if (seen.has(element) || LITERAL_TYPES.has(element.$type)) return;
  seen.add(element);
  const isOwner = element.$instanceOf('bpmn:FlowElement') || element.$instanceOf('bpmn:Process') || element.$instanceOf('bpmn:Participant');
  const here = isOwner || !owner ? element : owner;
  for (const property of element.$descriptor.properties) {
    const value = element[property.name];
    if (value === undefined || value === null || property.isReference || property.name === 'diagrams') continue;
    if (typeof value === 'string') {
      if (value.startsWith('=') && !LITERAL_PROPERTIES.has(property.name)) {
        const where = property.isBody ? via : `${element.$type} ${property.name}`;
        found.push({ owner: here, where, expression: value });
      }
      continue;
    }
    for (const child of Array.isArray(value) ? value : [value]) {
      if (child && typeof child === 'object' && typeof child.$instanceOf === 'function') {
        collectFeel(child, here, property.name, found, seen);
      }
    }
  }
}

function feelProblems(file: string, definitions: ModdleElement): Problem[] {
  const found: Found[] = [];
  const seen = new Set<ModdleElement>();
  for (const root of definitions.rootElements ?? []) collectFeel(root, undefined, 'rootElements', found, seen);
  const problems: Problem[] = [];
  for (const { owner, where, expression } of found) {
    const reason = feelSyntaxError(expression.slice(1), 'expression');
    if (reason) {
      problems.push({ file, elementId: owner.id, rule: 'feel-syntax', message: `FEEL in ${where} does not parse (${reason}): ${expression}` });
    }
  }
  return problems;
}
