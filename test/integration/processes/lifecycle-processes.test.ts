import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { startTestServer, type TestServer } from '../../support/server';
import { Lifecycle, SCRIPTED_JOB_TYPES } from './lifecycle';

const PROCESSES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'processes');
const MATTERS = ['public-place-hygiene-permit', 'publication-licence-reissue', 'dangerous-goods-staff-employer-change'];

interface Field {
  key: string;
  label: string;
  type: string;
  required: boolean;
  options?: { value: string; label: string }[];
}
const matterOf = (slug: string) => JSON.parse(fs.readFileSync(path.join(PROCESSES, slug, 'matter.json'), 'utf8'));
const actionsOf = (slug: string): [string, { fields: Field[]; autoApproval: boolean }][] => Object.entries(matterOf(slug).actions);
const formOf = (file: string) => JSON.parse(fs.readFileSync(path.join(PROCESSES, file), 'utf8'));

/** The components of a form that bind a value, nested ones included. */
function inputs(components: any[]): any[] {
  return components.flatMap((c) => [...(c.key ? [c] : []), ...(c.type !== 'dynamiclist' && c.components ? inputs(c.components) : [])]);
}

const COMPONENT_OF: Record<string, string> = {
  text: 'textfield',
  uscc: 'textfield',
  'id-number': 'textfield',
  phone: 'textfield',
  textarea: 'textarea',
  number: 'number',
  date: 'datetime',
  select: 'select',
  multiselect: 'checklist',
  checkbox: 'checkbox',
};

describe('lifecycle processes of the matters', () => {
  describe('files', () => {
    for (const slug of MATTERS) {
      for (const [action, spec] of actionsOf(slug)) {
        it(`${slug}/${action}.form binds exactly the fields of the action, with their labels, types, required flags and options`, () => {
          const form = formOf(`${slug}/${action}.form`);
          expect(form).to.include({ id: `${slug}-${action}`, type: 'default' });
          const bound = inputs(form.components);
          expect(bound.map((c) => c.key)).to.deep.equal(spec.fields.map((f) => f.key));
          spec.fields.forEach((field, i) => {
            const c = bound[i];
            expect(c.label ?? c.dateLabel, field.key).to.equal(field.label);
            expect(c.type, field.key).to.equal(COMPONENT_OF[field.type]);
            if (field.type === 'date') expect(c.subtype, field.key).to.equal('date');
            expect(Boolean(c.validate?.required), field.key).to.equal(field.required);
            if (field.options) expect(c.values, field.key).to.deep.equal(field.options.map((o) => ({ label: o.label, value: o.value })));
          });
        });

        it(`${slug}-${action} hands its department, automatic approval and chief rule to the shared review`, () => {
          const xml = fs.readFileSync(path.join(PROCESSES, slug, `${action}.bpmn`), 'utf8');
          const input = (target: string) => xml.match(new RegExp(`<zeebe:input source="([^"]*)" target="${target}" />`))?.[1];
          expect(xml).to.contain(`<bpmn:process id="${slug}-${action}"`);
          expect(xml).to.contain('<zeebe:calledElement processId="common-review-decide-issue"');
          expect(input('department')).to.equal(`=&quot;${matterOf(slug).department.id}&quot;`);
          expect(input('autoApproval')).to.equal(`=${spec.autoApproval}`);
          expect(input('rejectNeedsChief')).to.equal(`=${slug === 'public-place-hygiene-permit'}`);
          expect(input('submittedAt')).to.equal('=submittedAt');
        });
      }
    }

    it('the clerk and chief forms offer the decisions the shared process routes on', () => {
      const clerk = formOf('common/clerk-review.form');
      expect(clerk.id).to.equal('common-clerk-review');
      const decision = inputs(clerk.components).find((c) => c.key === 'decision');
      expect(decision.type).to.equal('radio');
      expect(decision.values).to.deep.equal([
        { label: '准予', value: 'approve' },
        { label: '不予', value: 'reject' },
        { label: '退回补正', value: 'return' },
      ]);
      expect(inputs(clerk.components).find((c) => c.key === 'comment').type).to.equal('textarea');
      expect(clerk.components.find((c: any) => c.path === 'corrections').type).to.equal('dynamiclist');

      const chief = formOf('common/chief-approval.form');
      expect(chief.id).to.equal('common-chief-approval');
      expect(inputs(chief.components).map((c) => c.key)).to.deep.equal(['decision', 'comment']);
      expect(inputs(chief.components)[0].values).to.deep.equal([
        { label: '同意不予许可', value: 'approve' },
        { label: '不同意，退回重审', value: 'reject' },
      ]);
    });
  });

  describe('on the real server', () => {
    let server: TestServer;
    let lifecycle: Lifecycle;

    before(async () => {
      server = await startTestServer({ disabledWorkers: SCRIPTED_JOB_TYPES });
      lifecycle = new Lifecycle(server);
      lifecycle.registerStubs();
    });
    after(() => server?.close());

    it('deploys every process and form of processes/ at start', async () => {
      const admin = await server.login('admin');
      const processes = await server.request('GET', '/api/v1/processes', { token: admin });
      expect(processes.status).to.equal(200);
      expect(processes.body.map((p: { id: string }) => p.id)).to.include.members([
        'common-review-decide-issue',
        'public-place-hygiene-permit-apply',
        'public-place-hygiene-permit-change',
        'public-place-hygiene-permit-renew',
        'public-place-hygiene-permit-cancel',
        'publication-licence-reissue-apply',
        'dangerous-goods-staff-employer-change-apply',
      ]);
      const forms = await server.request('GET', '/api/v1/forms', { token: admin });
      expect(forms.body.map((f: { id: string }) => f.id)).to.include.members([
        'common-clerk-review',
        'common-chief-approval',
        'public-place-hygiene-permit-apply',
        'public-place-hygiene-permit-change',
        'public-place-hygiene-permit-renew',
        'public-place-hygiene-permit-cancel',
        'publication-licence-reissue-apply',
        'dangerous-goods-staff-employer-change-apply',
      ]);
    });

    it('approves a hygiene permit change automatically: review passed, signed, licence published, notified, archived', async () => {
      const { applicationId, key } = await lifecycle.submit('public-place-hygiene-permit', 'change', { reviewPassed: true });
      const done = await lifecycle.finished(key);
      expect(done.state, JSON.stringify(done.incidents)).to.equal('completed');
      expect(done.variables.outcome).to.equal('approved');
      expect(await lifecycle.status(applicationId)).to.equal('approved');
      expect(await lifecycle.timeline(applicationId)).to.deep.equal(['reviewing', 'approved']);
      // No model configured: the AI reviewer completes at once, and the rules decide alone.
      expect((await lifecycle.child(key)).variables.aiReview).to.deep.equal({ enabled: false });
      expect(await lifecycle.jobTypes(applicationId)).to.deep.equal([
        'status',
        'prefill',
        'ocr',
        'review',
        'ai-review',
        'status',
        'esign',
        'license-publish',
        'notify',
        'archive',
      ]);
      expect(await lifecycle.notifications(applicationId)).to.deep.equal(['approved']);
      expect((await lifecycle.jobs(applicationId)).every((j) => j.state === 'completed')).to.equal(true);
      const child = await lifecycle.child(key);
      expect(child).to.include({ bpmnProcessId: 'common-review-decide-issue', state: 'completed' });
      expect(child.variables).to.include({
        department: 'health',
        autoApproval: true,
        rejectNeedsChief: true,
        matterSlug: 'public-place-hygiene-permit',
      });
      expect(done.variables, 'the shared process hands back its outcome only').not.to.have.property('review');
    });

    it('reissues a publication licence automatically, for the culture department', async () => {
      const { applicationId, key } = await lifecycle.submit('publication-licence-reissue', 'apply');
      const done = await lifecycle.finished(key);
      expect(done.state, JSON.stringify(done.incidents)).to.equal('completed');
      expect(done.variables.outcome).to.equal('approved');
      expect(await lifecycle.timeline(applicationId)).to.deep.equal(['reviewing', 'approved']);
      expect(await lifecycle.jobTypes(applicationId)).to.include.members(['esign', 'license-publish', 'archive']);
      expect((await lifecycle.child(key)).variables).to.include({ department: 'culture', autoApproval: true, rejectNeedsChief: false });
    });

    it('sends an automatic matter whose review finds a problem to the clerks, and rejects without a chief where none is required', async () => {
      const { applicationId, key } = await lifecycle.submit('publication-licence-reissue', 'apply', { reviewPassed: false });
      await lifecycle.accept(applicationId, 'clerk.culture');
      const task = await lifecycle.openTask(applicationId, 'Task_ClerkReview');
      expect(task.candidate_groups).to.deep.equal(['culture']);
      expect(await lifecycle.status(applicationId)).to.equal('manual_review');
      await lifecycle.completeTask(applicationId, 'Task_ClerkReview', { decision: 'reject', comment: '原许可证已注销' }, 'clerk.culture');
      const done = await lifecycle.finished(key);
      expect(done.state, JSON.stringify(done.incidents)).to.equal('completed');
      expect(done.variables.outcome).to.equal('rejected');
      expect(await lifecycle.timeline(applicationId)).to.deep.equal(['reviewing', 'manual_review', 'rejected']);
      const types = await lifecycle.jobTypes(applicationId);
      expect(types).to.include.members(['esign', 'archive']);
      expect(types).not.to.include('license-publish');
      expect(await lifecycle.notifications(applicationId)).to.deep.equal(['accepted', 'rejected']);
      const chiefTasks = await lifecycle.platform.db
        .knex('tasks')
        .where({ application_id: applicationId, element_id: 'Task_ChiefApproval' });
      expect(chiefTasks).to.deep.equal([]);
    });

    it('rejects an applicant the prefill finds not eligible, tells them and archives, without a review', async () => {
      // A natural person may not hold a hygiene permit: the real prefill refuses too.
      const { applicationId, key } = await lifecycle.submit('public-place-hygiene-permit', 'renew', { notEligible: true }, 'applicant1');
      const done = await lifecycle.finished(key);
      expect(done.state, JSON.stringify(done.incidents)).to.equal('completed');
      expect(await lifecycle.status(applicationId)).to.equal('rejected');
      expect(await lifecycle.timeline(applicationId)).to.deep.equal(['reviewing', 'rejected']);
      expect((await lifecycle.messages(applicationId))[1]).to.contain('不符合申请条件');
      expect(await lifecycle.jobTypes(applicationId)).to.deep.equal(['status', 'prefill', 'status', 'notify', 'archive']);
      expect(await lifecycle.notifications(applicationId)).to.deep.equal(['not-eligible']);
      const children = await lifecycle.platform.db.knex('process_instances').where({ parent_key: key });
      expect(children).to.deep.equal([]);
    });
  });
});
