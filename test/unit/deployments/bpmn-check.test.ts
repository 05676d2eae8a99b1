import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { Checker } from '../../../server/deployments/checker';
import type { LintRuleSet } from '../../../server/deployments/deployments';
import type { Problem } from '../../../server/deployments/types';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'deployments');
const fixture = (name: string): string => fs.readFileSync(path.join(FIXTURES, name), 'utf8');
const valid = fixture('hygiene-permit-apply.bpmn');

const checker = new Checker();
const inspect = async (xml: string, name = 'apply.bpmn', on = checker) => (await on.inspect([{ name, content: Buffer.from(xml) }])).report;
const ids = (problems: Problem[]) => problems.map((p) => p.elementId);

/** The valid fixture with one text replaced; fails loudly when the text is not there, so a fixture edit cannot hollow a test. */
function edited(from: string, to: string, xml = valid): string {
  expect(xml, `fixture contains ${from}`).to.contain(from);
  return xml.replace(from, to);
}

describe('BPMN check', () => {
  describe('given a valid Camunda 8.8 process', () => {
    it('finds no problem and one resource, the executable process', async () => {
      const report = await inspect(valid);
      expect(report.errors).to.deep.equal([]);
      expect(report.warnings).to.deep.equal([]);
      expect(report.ok).to.equal(true);
      expect(report.files[0].resources).to.deep.equal([{ kind: 'bpmn', id: 'public-place-hygiene-permit-apply', name: '公共场所卫生许可 新办' }]);
      expect(report.files[0].checksum).to.match(/^[0-9a-f]{64}$/);
    });

    it('should NOT report the flows of a second file as duplicates of the first (lint state does not leak between files)', async () => {
      await inspect(valid);
      const again = await inspect(valid);
      expect(again.errors).to.deep.equal([]);
      const both = (await checker.inspect([
        { name: 'a.bpmn', content: Buffer.from(valid) },
        { name: 'b.bpmn', content: Buffer.from(valid.replaceAll('public-place-hygiene-permit-apply', 'public-place-hygiene-permit-renew')) },
      ])).report;
      expect(both.errors).to.deep.equal([]);
    });

    it('makes each executable process of a collaboration a resource of its own', async () => {
      const report = await inspect(fixture('collaboration-two-processes.bpmn'));
      expect(report.errors).to.deep.equal([]);
      expect(report.files[0].resources.map((r) => r.id)).to.deep.equal(['common-issue-license', 'common-archive']);
    });

    it('should NOT read zeebe:header values as FEEL: they are literal text', async () => {
      const report = await inspect(edited('<zeebe:header key="status" value="reviewing" />', '<zeebe:header key="status" value="=not FEEL (" />'));
      expect(report.errors).to.deep.equal([]);
    });
  });

  describe('when the XML is broken', () => {
    it('refuses it, naming the element opened before the mistake and its line', async () => {
      const report = await inspect(fixture('broken-xml.bpmn'));
      expect(report.errors).to.have.length(1);
      expect(report.errors[0]).to.include({ file: 'apply.bpmn', elementId: 'Task_Status' });
      expect(report.errors[0].message).to.match(/^The XML does not parse: .*line: 16/);
      expect(report.files[0].resources).to.deep.equal([]);
    });

    it('refuses a file whose root is not bpmn:definitions', async () => {
      const report = await inspect('<?xml version="1.0"?><definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="d" />');
      expect(report.ok).to.equal(false);
    });
  });

  describe('when a reference does not resolve', () => {
    it('refuses it naming the referring element, and does not lint it', async () => {
      const report = await inspect(fixture('unresolved-reference.bpmn'));
      expect(report.errors).to.deep.equal([
        { file: 'apply.bpmn', elementId: 'Flow_ToDone', message: 'bpmn:targetRef of Flow_ToDone refers to "EndEvent_Closed", which is not in the file' },
      ]);
    });

    it('refuses a diagram shape of a missing element', async () => {
      const report = await inspect(edited('bpmnElement="Task_Ocr"', 'bpmnElement="Task_Gone"'));
      expect(ids(report.errors)).to.deep.equal(['Task_Ocr_di']);
    });
  });

  describe('lint for Camunda 8.8', () => {
    it('refuses a service task without a task definition (camunda-compat)', async () => {
      const report = await inspect(fixture('missing-task-definition.bpmn'));
      expect(report.errors).to.deep.equal([
        {
          file: 'apply.bpmn',
          elementId: 'Task_Archive',
          rule: 'camunda-compat/implementation',
          message: 'Element of type <bpmn:ServiceTask> must have one extension element of type <zeebe:TaskDefinition>',
        },
      ]);
    });

    it('refuses a task without a name (bpmnlint recommended)', async () => {
      const report = await inspect(edited('<bpmn:serviceTask id="Task_Ocr" name="材料识别">', '<bpmn:serviceTask id="Task_Ocr">'));
      expect(report.errors).to.deep.include({ file: 'apply.bpmn', elementId: 'Task_Ocr', rule: 'label-required', message: 'Element is missing label/name' });
    });

    it('returns warn reports as warnings and deploys anyway', async () => {
      const fakeJoin = edited(
        '<bpmn:incoming>Flow_ToApproved</bpmn:incoming>',
        '<bpmn:incoming>Flow_ToApproved</bpmn:incoming>\n      <bpmn:incoming>Flow_Approved</bpmn:incoming>',
      ).replace('sourceRef="Gateway_Decision" targetRef="Gateway_JoinApproved"', 'sourceRef="Gateway_Decision" targetRef="Task_StatusApproved"');
      const report = await inspect(fakeJoin);
      expect(report.warnings.map((w) => `${w.rule} ${w.elementId}`)).to.include('fake-join Task_StatusApproved');
      expect(report.warnings.map((w) => w.rule)).not.to.include(undefined);
    });

    it('refuses a file made for Camunda 7, or for no platform', async () => {
      const seven = await inspect(edited('modeler:executionPlatform="Camunda Cloud"', 'modeler:executionPlatform="Camunda Platform"'));
      expect(seven.errors[0]).to.include({ elementId: 'Definitions_HygieneApply' });
      expect(seven.errors[0].message).to.contain('"Camunda Platform"');
      const none = await inspect(edited('modeler:executionPlatform="Camunda Cloud" ', ''));
      expect(none.errors.map((e) => e.message)).to.include(
        'modeler:executionPlatform="Camunda Cloud" is missing on bpmn:definitions: design the file for Camunda 8',
      );
    });

    it('warns that a file for a newer Camunda was checked against 8.8 only', async () => {
      const report = await inspect(edited('modeler:executionPlatformVersion="8.8.0"', 'modeler:executionPlatformVersion="8.9.0"'));
      expect(report.warnings.map((w) => w.message)).to.include('The file targets Camunda 8.9.0; it was checked against 8.8 only');
    });

    it('refuses a file with no executable process', async () => {
      const report = await inspect(edited('isExecutable="true"', 'isExecutable="false"'));
      expect(report.ok).to.equal(false);
      expect(report.files[0].resources).to.deep.equal([]);
    });
  });

  describe('FEEL', () => {
    const cases: { where: string; from: string; to: string; elementId: string; expression: string }[] = [
      { where: 'a sequence flow condition', from: '=clean = true', to: '=clean = ', elementId: 'Flow_Auto', expression: '=clean = ' },
      { where: 'a zeebe:input source', from: 'source="=applicationId"', to: 'source="=applicationId +"', elementId: 'Task_Review', expression: '=applicationId +' },
      { where: 'a zeebe:output source', from: 'count(review.findings) = 0"', to: 'count(review.findings = 0"', elementId: 'Task_Review', expression: '=review.passed and count(review.findings = 0' },
      { where: 'a task definition type', from: 'type="ocr"', to: 'type="=if kind then"', elementId: 'Task_Ocr', expression: '=if kind then' },
      { where: 'task definition retries', from: 'retries="=3"', to: 'retries="=3 +"', elementId: 'Task_Ocr', expression: '=3 +' },
      { where: 'candidate groups', from: 'candidateGroups="health"', to: 'candidateGroups="=[&quot;health&quot;"', elementId: 'Task_ClerkReview', expression: '=["health"' },
      { where: 'a task schedule due date', from: 'dueDate="=dueDate"', to: 'dueDate="=dueDate &lt;"', elementId: 'Task_ClerkReview', expression: '=dueDate <' },
      { where: 'a timer date', from: '=date and time(warnAt)', to: '=date and time(warnAt', elementId: 'Timer_ReviewReminder', expression: '=date and time(warnAt' },
      {
        where: 'a called element',
        from: '<zeebe:taskDefinition type="archive" />',
        to: '<zeebe:calledElement processId="=&quot;common-archive" />',
        elementId: 'Task_Archive',
        expression: '="common-archive',
      },
    ];
    for (const { where, from, to, elementId, expression } of cases) {
      it(`refuses a FEEL expression that does not parse in ${where}, naming ${elementId} and the expression`, async () => {
        const report = await inspect(edited(from, to));
        const feel = report.errors.filter((e) => e.rule === 'feel-syntax');
        expect(feel, JSON.stringify(report.errors)).to.have.length(1);
        expect(feel[0].elementId).to.equal(elementId);
        expect(feel[0].message.endsWith(`: ${expression}`), feel[0].message).to.equal(true);
      });
    }

    it('names the flow of the bad condition fixture, with the expression', async () => {
      const report = await inspect(fixture('bad-feel-condition.bpmn'));
      const feel = report.errors.find((e) => e.rule === 'feel-syntax')!;
      expect(feel).to.include({ elementId: 'Flow_Clean' });
      expect(feel.message).to.equal('FEEL in conditionExpression does not parse (it ends too early (incomplete)): =arrears == 0 and');
    });

    it('checks a called decision id, and should NOT read its result variable as FEEL', async () => {
      const call = edited(
        '<zeebe:taskDefinition type="archive" />',
        '<zeebe:taskDefinition type="archive" />\n        <zeebe:calledDecision decisionId="=matterSlug +" resultVariable="=x" />',
      );
      const report = await inspect(call);
      const feel = report.errors.filter((e) => e.rule === 'feel-syntax');
      expect(feel.map((e) => e.elementId)).to.deep.equal(['Task_Archive']);
      expect(feel[0].message).to.contain('=matterSlug +');
    });
  });

  describe('our own rules (extraRules)', () => {
    const approvals: LintRuleSet = {
      name: 'approvals',
      rules: {
        'archive-step': {
          category: 'error',
          create: () => ({
            check: (node, reporter) => {
              if (!node.$instanceOf('bpmn:Process')) return;
              const archives = (node.flowElements ?? []).some((e: any) =>
                (e.extensionElements?.values ?? []).some((v: any) => v.$type === 'zeebe:TaskDefinition' && v.type === 'archive'),
              );
              if (!archives) reporter.report(node.id!, 'A matter process must archive the case (a service task of type "archive")');
            },
          }),
        },
        'short-names': {
          category: 'warn',
          create: () => ({
            check: (node, reporter) => {
              if (node.$instanceOf('bpmn:FlowNode') && (node.name ?? '').length > 4) reporter.report(node.id!, 'Name longer than 4 characters');
            },
          }),
        },
      },
    };
    const withRules = new Checker(approvals);

    it('runs them with the standard rules, errors refusing and warnings warning, named <set>/<rule>', async () => {
      const report = await inspect(fixture('collaboration-two-processes.bpmn'), 'common.bpmn', withRules);
      expect(report.errors).to.deep.equal([
        {
          file: 'common.bpmn',
          elementId: 'common-issue-license',
          rule: 'approvals/archive-step',
          message: 'A matter process must archive the case (a service task of type "archive")',
        },
      ]);
      expect(report.warnings.map((w) => `${w.rule} ${w.elementId}`)).to.deep.equal(['approvals/short-names Task_Archive']);
      expect((await inspect(valid, 'apply.bpmn', withRules)).errors).to.deep.equal([]);
    });
  });
});
