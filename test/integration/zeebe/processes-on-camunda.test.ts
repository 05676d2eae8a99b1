import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { Checker } from '../../../server/deployments/checker';
import { feelSyntaxError, type FeelGrammar } from '../../../server/deployments/feel';
import { createBpmnModdle, type ModdleElement } from '../../../server/deployments/moddle';

const PROCESSES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'processes');

function files(dir = PROCESSES): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : /\.(bpmn|dmn|form)$/.test(e.name) ? [path.join(dir, e.name)] : []));
}

const ALL = files();
const text = (file: string) => fs.readFileSync(file, 'utf8');
const named = (extension: string) => ALL.filter((f) => f.endsWith(extension));
const decode = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** Every FEEL text of a file, read from the raw text (independently of the deployment checker's walk of the model). */
function feelOf(file: string): { where: string; source: string; grammar: FeelGrammar }[] {
  const content = text(file);
  if (file.endsWith('.form')) {
    const found: { where: string; source: string; grammar: FeelGrammar }[] = [];
    JSON.parse(content, (key, value) => {
      if (typeof value === 'string' && value.startsWith('=')) found.push({ where: key, source: value.slice(1), grammar: 'expression' });
      return value;
    });
    return found;
  }
  if (file.endsWith('.dmn')) {
    const entries = (tag: string, grammar: FeelGrammar) =>
      [...content.matchAll(new RegExp(`<${tag}[^>]*>\\s*<text>([^<]*)</text>`, 'g'))].map((m) => ({
        where: tag,
        source: decode(m[1]),
        grammar,
      }));
    // An empty output entry is DMN's "no value" (null on both engines), as the deployment check takes it.
    const outputs = entries('outputEntry', 'expression').filter((entry) => entry.source.trim());
    return [...entries('inputExpression', 'expression'), ...entries('inputEntry', 'unaryTests'), ...outputs];
  }
  const attributes = [...content.matchAll(/\s([\w:]+)="=([^"]*)"/g)].map((m) => ({
    where: m[1],
    source: decode(m[2]),
    grammar: 'expression' as const,
  }));
  const bodies = [...content.matchAll(/<bpmn:(\w+) xsi:type="bpmn:tFormalExpression">=([^<]*)</g)].map((m) => ({
    where: m[1],
    source: decode(m[2]),
    grammar: 'expression' as const,
  }));
  return [...attributes, ...bodies];
}

/**
 * Every BPMN, DMN and form of processes/ deploys to Camunda 8.8 as it is: the deployment's own check passes (bpmnlint
 * recommended + camunda-compat 8.8, FEEL parsed with feelin), every FEEL text parses, and what Zeebe resolves only at
 * run time (forms by id, called processes, Camunda user tasks for the REST API) is there.
 */
describe('Zeebe: the files of processes/ deploy to Camunda 8.8 as they are', function () {
  this.timeout(30_000);

  it('pass the deployment check (Camunda 8.8 lint, FEEL) as one deployment, without an error or a Camunda warning', async () => {
    const inspection = await new Checker().inspect(
      ALL.map((file) => ({ name: path.relative(PROCESSES, file).replace(/\//g, '__'), content: fs.readFileSync(file) })),
      { limitFiles: false },
    );
    expect(inspection.report.errors).to.deep.equal([]);
    // bpmnlint:recommended's style warnings (a fake join, a label) are the designer's; Camunda's own say what would not run.
    expect(inspection.report.warnings.filter((w) => w.rule?.startsWith('camunda-compat/'))).to.deep.equal([]);
    expect(inspection.report.files).to.have.length(ALL.length);
  });

  for (const file of ALL) {
    it(`${path.relative(PROCESSES, file)}: every FEEL text parses with feelin`, () => {
      const feel = feelOf(file);
      if (!file.endsWith('.form')) expect(feel.length, 'FEEL texts found').to.be.greaterThan(0);
      for (const { where, source, grammar } of feel) expect(feelSyntaxError(source, grammar), `${where}: ${source}`).to.equal(undefined);
    });
  }

  it('are made for Camunda 8.8 (Camunda Cloud execution platform, 8.8 at most)', () => {
    for (const file of ALL) {
      const content = text(file);
      const [platform, version] = file.endsWith('.form')
        ? [JSON.parse(content).executionPlatform, JSON.parse(content).executionPlatformVersion]
        : [/executionPlatform="([^"]+)"/.exec(content)?.[1], /executionPlatformVersion="([^"]+)"/.exec(content)?.[1]];
      expect(platform, file).to.equal('Camunda Cloud');
      const [major, minor] = String(version).split('.').map(Number);
      expect(major * 100 + minor, `${file}: ${version}`).to.be.at.most(808);
    }
  });

  it('reference only what the repository deploys: linked forms, called processes; user tasks are Camunda user tasks', async () => {
    const formIds = new Set(named('.form').map((f) => JSON.parse(text(f)).id));
    const moddle = createBpmnModdle();
    const processIds = new Set<string>();
    const processes: ModdleElement[] = [];
    for (const file of named('.bpmn')) {
      const { rootElement, warnings } = await moddle.fromXML(text(file), 'bpmn:Definitions');
      expect(warnings, file).to.deep.equal([]);
      for (const root of rootElement.rootElements.filter((r: ModdleElement) => r.$type === 'bpmn:Process')) {
        processIds.add(root.id!);
        processes.push(root);
      }
    }
    const extension = (element: ModdleElement, type: string) =>
      element.extensionElements?.values?.find((v: ModdleElement) => v.$type === type);
    const flowElements = (container: ModdleElement): ModdleElement[] =>
      (container.flowElements ?? []).flatMap((e: ModdleElement) => [e, ...(e.flowElements ? flowElements(e) : [])]);
    let userTasks = 0;
    for (const process of processes) {
      for (const element of flowElements(process)) {
        if (element.$type === 'bpmn:UserTask') {
          userTasks++;
          expect(
            extension(element, 'zeebe:UserTask'),
            `${process.id}/${element.id}: <zeebe:userTask /> (the REST API serves only Camunda user tasks)`,
          ).to.exist;
          const formId = extension(element, 'zeebe:FormDefinition')?.formId;
          expect(formIds.has(formId), `${process.id}/${element.id}: form ${formId}`).to.equal(true);
        }
        if (element.$type === 'bpmn:CallActivity') {
          const called = extension(element, 'zeebe:CalledElement')?.processId;
          expect(processIds.has(called), `${process.id}/${element.id}: calls ${called}`).to.equal(true);
        }
      }
    }
    expect(userTasks).to.be.greaterThan(0);
  });
});
