import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateZeebe } from '@bpmn-io/element-templates-validator';
import { expect } from 'chai';
import { SERVED_JOB_TYPES } from '../../../server/deployments/rules/job-types';

const DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'workers', 'templates');

interface Template {
  id: string;
  name: string;
  properties: { type: string; value?: string; binding: { type: string; property?: string; key?: string } }[];
}

const templates = fs
  .readdirSync(DIR)
  .filter((file) => file.endsWith('.json'))
  .map((file) => ({ file, template: JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8')) as Template }));

const jobType = (t: Template) =>
  t.properties.find((p) => p.binding.type === 'zeebe:taskDefinition' && p.binding.property === 'type')?.value;
const headers = (t: Template) => t.properties.filter((p) => p.binding.type === 'zeebe:taskHeader').map((p) => p.binding.key);

describe('element templates of our job types (workers/templates)', () => {
  it('has one template per worker type a designer places, named for the palette', () => {
    const byType = Object.fromEntries(templates.map(({ template }) => [jobType(template), template.name]));
    expect(byType).to.include({
      prefill: '信息预填',
      ocr: 'OCR 识别',
      review: '审查要点核验',
      esign: '电子签章',
      'license-publish': '发布电子证照',
      archive: '归档',
      notify: '发送通知',
    });
  });

  for (const { file, template } of templates) {
    describe(file, () => {
      it('is a valid Camunda 8 element template', () => {
        const { valid, errors } = validateZeebe(template);
        expect(errors ?? [], JSON.stringify(errors)).to.deep.equal([]);
        expect(valid).to.equal(true);
      });

      it('sets a job type a worker serves, is named after it, and is named approvals.<type>', () => {
        const type = jobType(template)!;
        expect(SERVED_JOB_TYPES).to.include(type);
        expect(file).to.equal(`${type}.json`);
        expect(template.id).to.equal(`approvals.${type}`);
      });
    });
  }

  it('carries the headers JOBS.md says the workers read: notify a template, status a status', () => {
    const of = (type: string) => headers(templates.find(({ template }) => jobType(template) === type)!.template);
    expect(of('notify')).to.deep.equal(['template']);
    expect(of('status')).to.deep.equal(['status']);
    expect(of('ocr')).to.deep.equal([]);
  });
});
