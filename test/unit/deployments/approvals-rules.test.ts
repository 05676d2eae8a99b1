import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { Checker } from '../../../server/deployments/checker';
import { approvalsLintRules } from '../../../server/deployments/rules';
import type { Problem } from '../../../server/deployments/types';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'deployments');
const valid = fs.readFileSync(path.join(FIXTURES, 'hygiene-permit-apply.bpmn'), 'utf8');

const checker = new Checker(approvalsLintRules());
const ours = (problems: Problem[]) => problems.filter((p) => p.rule?.startsWith('approvals/')).map((p) => `${p.rule} ${p.elementId}`);
const inspect = async (xml: string, on = checker) => (await on.inspect([{ name: 'apply.bpmn', content: Buffer.from(xml) }])).report;

function edited(from: string, to: string, xml = valid): string {
  expect(xml, `fixture contains ${from}`).to.contain(from);
  return xml.replace(from, to);
}

describe('our lint rules (server/deployments/rules), run at deployment', () => {
  it('given a matter process that follows JOBS.md, reports nothing', async () => {
    expect((await inspect(valid)).errors).to.deep.equal([]);
  });

  describe('served-task-type', () => {
    it('refuses a job type no worker serves, naming the element and the served types', async () => {
      const report = await inspect(edited('<zeebe:taskDefinition type="ocr" retries="=3" />', '<zeebe:taskDefinition type="payment" />'));
      expect(ours(report.errors)).to.deep.equal(['approvals/served-task-type Task_Ocr']);
      expect(report.errors[0].message).to.contain('"payment"').and.contain('license-publish');
    });

    it('should NOT judge a job type given as a FEEL expression, known only at run time', async () => {
      const report = await inspect(edited('<zeebe:taskDefinition type="ocr" retries="=3" />', '<zeebe:taskDefinition type="=jobType" />'));
      expect(ours(report.errors)).to.deep.equal([]);
    });

    it('takes the served types from the running workers when given', async () => {
      const narrow = new Checker(approvalsLintRules({ jobTypes: ['status', 'ocr', 'review', 'archive'] }));
      expect(ours((await inspect(valid, narrow)).errors)).to.deep.equal(['approvals/served-task-type Task_NotifyReminder']);
    });
  });

  describe('user-task-candidate-group', () => {
    it('refuses a user task that names no candidate group', async () => {
      const report = await inspect(
        edited('<zeebe:assignmentDefinition candidateGroups="health" />', '<zeebe:assignmentDefinition assignee="clerk.health" />'),
      );
      expect(ours(report.errors)).to.deep.equal(['approvals/user-task-candidate-group Task_ClerkReview']);
    });

    it('refuses an empty candidate group too', async () => {
      const report = await inspect(edited('candidateGroups="health"', 'candidateGroups=" "'));
      expect(ours(report.errors)).to.include('approvals/user-task-candidate-group Task_ClerkReview');
    });
  });

  describe('matter-archive-step', () => {
    const withoutArchive = () => edited('<zeebe:taskDefinition type="archive" />', '<zeebe:taskDefinition type="status" />');

    it('refuses a matter process that never archives the case', async () => {
      expect(ours((await inspect(withoutArchive())).errors)).to.deep.equal([
        'approvals/matter-archive-step public-place-hygiene-permit-apply',
      ]);
    });

    it('should NOT ask a shared common- sub-process to archive', async () => {
      const common = withoutArchive().replaceAll('public-place-hygiene-permit-apply', 'common-correction-loop');
      expect(ours((await inspect(common)).errors)).to.deep.equal([]);
    });

    it('finds the archive step inside a sub-process', async () => {
      const nested = (type: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="D" targetNamespace="http://bpmn.io/schema/bpmn" modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.8.0">
  <bpmn:process id="road-transport-permit-cancel" isExecutable="true">
    <bpmn:subProcess id="Sub_Close">
      <bpmn:serviceTask id="Task_Close"><bpmn:extensionElements><zeebe:taskDefinition type="${type}" /></bpmn:extensionElements></bpmn:serviceTask>
    </bpmn:subProcess>
  </bpmn:process>
</bpmn:definitions>`;
      expect(ours((await inspect(nested('archive'))).errors)).to.deep.equal([]);
      expect(ours((await inspect(nested('notify'))).errors)).to.deep.equal(['approvals/matter-archive-step road-transport-permit-cancel']);
    });
  });
});
