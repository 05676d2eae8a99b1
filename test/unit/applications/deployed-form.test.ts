import { expect } from 'chai';
import { missingRequired } from '../../../server/applications/deployed-form';
import type { MatterAction } from '../../../server/matters/schema';
import type { DraftForm } from '../../../workers/prefill/prefill-form';

const field = (key: string, label: string, type: string, required: boolean) =>
  ({ key, label, type, required, prefill: { from: 'applicant' } }) as unknown as MatterAction['fields'][number];

// As matter.json defines them: the note and the confirmation optional, the contact required.
const spec = {
  fields: [
    field('cancelNote', '情况说明', 'textarea', false),
    field('stopDate', '停业日期', 'date', false),
    field('agreed', '承诺', 'checkbox', false),
    field('contactName', '联系人', 'text', true),
  ],
};

const typed = (values: Record<string, unknown>): DraftForm =>
  Object.fromEntries(Object.entries(values).map(([key, value]) => [key, { value, source: 'applicant', locked: false }])) as DraftForm;

const schema = {
  components: [
    { type: 'textarea', key: 'cancelNote', label: '注销情况说明', validate: { required: true } },
    {
      type: 'group',
      components: [{ type: 'datetime', key: 'stopDate', validate: { required: true }, conditional: { hide: '=cancelNote = "已歇业"' } }],
    },
    { type: 'checkbox', key: 'agreed', label: '本单位承诺', validate: { required: true } },
    { type: 'textfield', key: 'contactName', label: '联系人', validate: { required: true } },
    { type: 'textfield', key: 'newKey', label: '事项未定义的新字段', validate: { required: true } },
  ],
};

describe('the deployed form: what it requires of a draft at submission', () => {
  it('asks for each field it marks required and the draft leaves empty, by the label on the form, groups included', () => {
    expect(missingRequired(schema, typed({ agreed: true }), spec)).to.deep.equal([
      { field: 'form.cancelNote', message: '请填写注销情况说明' },
      { field: 'form.stopDate', message: '请填写停业日期' },
    ]);
  });

  it('asks for an unticked required checkbox to be confirmed', () => {
    expect(missingRequired(schema, typed({ cancelNote: '门店停业', stopDate: '2026-11-30', agreed: false }), spec)).to.deep.equal([
      { field: 'form.agreed', message: '请确认：本单位承诺' },
    ]);
  });

  it('should NOT ask for a field the form hides, nor repeat what matter.json requires, nor a key the matter does not define', () => {
    expect(missingRequired(schema, typed({ cancelNote: '已歇业', agreed: true }), spec)).to.deep.equal([]);
  });
});
