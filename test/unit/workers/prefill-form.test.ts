import { expect } from 'chai';
import type { FormField } from '../../../server/matters/schema';
import {
  RegistryUnavailable,
  type Enterprise,
  type License,
  type Person,
  type RegistryName,
  type Registries,
} from '../../../server/registries';
import { changedFields, isPrefilled, prefillForm, type DraftForm } from '../../../workers/prefill/prefill-form';

const HYGIENE = '11100000MB1640886L012';
const QUALIFICATION = '11100000000013872T003';
const USCC = '91310000MA1FL0AB1X';
const EMPLOYEE = '360426199101010071';

const field = (key: string, prefill: FormField['prefill'], extra: Partial<FormField> = {}): FormField => ({
  key,
  label: key,
  type: 'text',
  required: true,
  forms: ['application'],
  prefill,
  ...extra,
});

const FIELDS: FormField[] = [
  field('unitName', { from: 'registry', registry: 'enterprise', path: 'name', holder: 'applicant' }),
  field('legalRepresentative', { from: 'registry', registry: 'enterprise', path: 'legalRepresentative.name', holder: 'applicant' }),
  field('licenseNumber', { from: 'license', licenseType: HYGIENE, field: 'number', holder: 'applicant' }),
  field('premisesAddress', { from: 'license', licenseType: HYGIENE, field: 'data.address', holder: 'applicant' }),
  field('staffName', { from: 'registry', registry: 'person', path: 'name', holder: 'second-party' }),
  field('qualificationNumber', { from: 'license', licenseType: QUALIFICATION, field: 'number', holder: 'second-party' }),
  field(
    'agent',
    { from: 'applicant', history: false },
    {
      type: 'select',
      options: [
        { value: 'self', label: '本人' },
        { value: 'agent', label: '代理' },
      ],
    },
  ),
  field('contactName', { from: 'applicant', history: true }),
  field('staffCount', { from: 'applicant', history: true }, { type: 'number' }),
  field('changeReason', { from: 'applicant', history: false }),
];

const enterprise: Enterprise = {
  uscc: USCC,
  name: '上海明德餐饮管理有限公司',
  type: '有限责任公司',
  legalRepresentative: { name: '李明', idNumber: '110101198001010011' },
  address: '上海市黄浦区南京东路100号',
  establishedOn: '2015-03-02',
  registeredCapital: 500,
  status: 'active',
  businessScope: '餐饮服务',
  phone: null,
};

const person: Person = {
  idNumber: EMPLOYEE,
  name: '张伟',
  sex: '男',
  ethnicity: '汉族',
  birthDate: '1991-01-01',
  address: '江西省九江市',
  phone: '13800001111',
  employerUscc: null,
};

const license = (id: string, typeCode: string, holderCode: string, number: string, status: License['status'], data = {}): License => ({
  id,
  identifier: `ID-${id}`,
  typeCode,
  typeName: '证照',
  number,
  issuerName: '发证机关',
  issuerCode: '11310000000000000X',
  issueDate: '2024-01-01',
  validFrom: '2024-01-01',
  validUntil: '2028-01-01',
  holderName: '持证人',
  holderCode,
  holderType: holderCode === EMPLOYEE ? '111' : '001',
  territoryCode: '310000',
  relatedIdentifier: null,
  version: 1,
  status,
  data,
  documentSha256: null,
  createdAt: '2024-01-01T00:00:00Z',
});

const LICENSES = [
  license('old', HYGIENE, USCC, '沪卫公证字〔2020〕第001号', 'superseded', { address: '旧址' }),
  license('current', HYGIENE, USCC, '沪卫公证字〔2024〕第007号', 'valid', { address: '上海市黄浦区南京东路100号一层' }),
  license('qual', QUALIFICATION, EMPLOYEE, '360426199101010071', 'valid'),
];

/** In-memory registries; `down` names those that fail, and `asked` counts every lookup. */
function registries(down: RegistryName[] = [], world = { enterprise, person }) {
  const asked: string[] = [];
  const guard = <T>(name: RegistryName, key: string, answer: () => T): Promise<T> => {
    asked.push(`${name}:${key}`);
    if (down.includes(name)) return Promise.reject(new RegistryUnavailable(name, 'timeout', 'no answer within 300 ms'));
    return Promise.resolve(answer());
  };
  const regs: Registries = {
    persons: { find: (id) => guard('persons', id, () => (id === world.person.idNumber ? world.person : undefined)) },
    enterprises: { find: (code) => guard('enterprises', code, () => (code === world.enterprise.uscc ? world.enterprise : undefined)) },
    licenses: {
      find: (id) => guard('licenses', id, () => LICENSES.find((l) => l.id === id)),
      byHolder: (holder, type) =>
        guard('licenses', `${holder}/${type}`, () => LICENSES.filter((l) => l.holderCode === holder && l.typeCode === type)),
      byIdentifier: (identifier) => guard('licenses', identifier, () => LICENSES.find((l) => l.identifier === identifier)),
    },
  };
  return { regs, asked };
}

describe('prefillForm: every field the platform can know', () => {
  it('fills registry and licence fields locked, from the valid licence, and leaves the applicant fields empty and open', async () => {
    const { regs } = registries();
    const { form, unavailable, licenses } = await prefillForm({ fields: FIELDS, holderCode: USCC }, regs);
    expect(form.unitName).to.deep.equal({ value: '上海明德餐饮管理有限公司', source: 'registry', locked: true });
    expect(form.legalRepresentative).to.deep.equal({ value: '李明', source: 'registry', locked: true });
    expect(form.licenseNumber).to.deep.equal({ value: '沪卫公证字〔2024〕第007号', source: 'license', locked: true });
    expect(form.premisesAddress.value).to.equal('上海市黄浦区南京东路100号一层');
    expect(form.changeReason).to.deep.equal({ value: null, source: 'applicant', locked: false });
    expect(unavailable).to.deep.equal([]);
    expect(licenses).to.deep.equal({ [HYGIENE]: 'current' });
  });

  it('takes the licence the application names when the holder has several', async () => {
    const { regs } = registries();
    const { form, licenses } = await prefillForm({ fields: FIELDS, holderCode: USCC, licenseId: 'old' }, regs);
    expect(form.licenseNumber.value).to.equal('沪卫公证字〔2020〕第001号');
    expect(licenses[HYGIENE]).to.equal('old');
  });

  it('asks each registry once per record, however many fields read it', async () => {
    const { regs, asked } = registries();
    await prefillForm({ fields: FIELDS, holderCode: USCC }, regs);
    expect(asked.filter((a) => a === `enterprises:${USCC}`)).to.have.length(1);
    expect(asked.filter((a) => a.startsWith('licenses:'))).to.have.length(1);
  });

  it("fills the second party's fields only once they are named", async () => {
    const { regs } = registries();
    const unnamed = await prefillForm({ fields: FIELDS, holderCode: USCC }, regs);
    expect(unnamed.form.staffName).to.deep.equal({ value: null, source: 'applicant', locked: false });
    const named = await prefillForm({ fields: FIELDS, holderCode: USCC, secondPartyCode: EMPLOYEE }, regs);
    expect(named.form.staffName).to.deep.equal({ value: '张伟', source: 'registry', locked: true });
    expect(named.form.qualificationNumber).to.deep.equal({ value: '360426199101010071', source: 'license', locked: true });
    expect(named.licenses, "the employee's licence is not the application's").to.deep.equal({ [HYGIENE]: 'current' });
  });

  it('takes answers to the questionnaire and, for the fields marked history, the last application, unlocked', async () => {
    const { regs } = registries();
    const { form } = await prefillForm(
      {
        fields: FIELDS,
        holderCode: USCC,
        answers: { agent: 'self' },
        history: { contactName: '王敏', staffCount: 12, changeReason: '上次的原因', unitName: '旧名称' },
      },
      regs,
    );
    expect(form.agent).to.deep.equal({ value: 'self', source: 'applicant', locked: false });
    expect(form.contactName).to.deep.equal({ value: '王敏', source: 'history', locked: false });
    expect(form.staffCount).to.deep.equal({ value: 12, source: 'history', locked: false });
    expect(form.changeReason.value, 'a one-off fact is not offered again').to.equal(null);
    expect(form.unitName.value, 'the registry wins over history').to.equal('上海明德餐饮管理有限公司');
    expect(isPrefilled(form.contactName)).to.equal(true);
    expect(isPrefilled(form.agent), 'an answer is the applicant’s, not prefill').to.equal(false);
  });

  it('should NOT offer a remembered value the field no longer takes (an option gone, a value of another type)', async () => {
    const { regs } = registries();
    const fields = FIELDS.map((f) => (f.key === 'agent' ? { ...f, prefill: { from: 'applicant' as const, history: true } } : f));
    const { form } = await prefillForm({ fields, holderCode: USCC, history: { agent: 'broker', staffCount: '十二' } }, regs);
    expect(form.agent.value).to.equal(null);
    expect(form.staffCount.value).to.equal(null);
  });

  it('leaves the fields of a registry that fails to the applicant, names it, and still fills the rest', async () => {
    const { regs } = registries(['enterprises']);
    const { form, unavailable } = await prefillForm({ fields: FIELDS, holderCode: USCC, history: { contactName: '王敏' } }, regs);
    expect(unavailable).to.deep.equal(['enterprises']);
    expect(form.unitName).to.deep.equal({ value: null, source: 'applicant', locked: false });
    expect(form.legalRepresentative).to.deep.equal({ value: null, source: 'applicant', locked: false });
    expect(form.licenseNumber.locked).to.equal(true);
    expect(form.contactName.value).to.equal('王敏');
  });

  it('should NOT throw anything but a registry failure away: a bug in a connector is an error', async () => {
    const { regs } = registries();
    regs.enterprises = { find: () => Promise.reject(new TypeError('broken connector')) };
    let error: unknown;
    await prefillForm({ fields: FIELDS, holderCode: USCC }, regs).catch((e) => (error = e));
    expect(error).to.be.instanceOf(TypeError);
  });

  it('keeps what the applicant typed, and what a source answered before when it fails now', async () => {
    const before = (await prefillForm({ fields: FIELDS, holderCode: USCC }, registries().regs)).form;
    const current: DraftForm = { ...before, changeReason: { value: '法定代表人变更', source: 'applicant', locked: false } };
    const { form } = await prefillForm({ fields: FIELDS, holderCode: USCC, current }, registries(['enterprises', 'licenses']).regs);
    expect(form.changeReason.value).to.equal('法定代表人变更');
    expect(form.unitName).to.deep.equal(before.unitName);
    expect(form.licenseNumber).to.deep.equal(before.licenseNumber);
  });
});

describe('changedFields: what the authoritative data changed since the draft', () => {
  it('names the registry and licence fields whose value differs, not what the applicant typed', async () => {
    const before = (await prefillForm({ fields: FIELDS, holderCode: USCC }, registries().regs)).form;
    const moved = { enterprise: { ...enterprise, legalRepresentative: { name: '王强', idNumber: '110101198001010011' } }, person };
    const current: DraftForm = { ...before, changeReason: { value: '新原因', source: 'applicant', locked: false } };
    const after = (await prefillForm({ fields: FIELDS, holderCode: USCC, current }, registries([], moved).regs)).form;
    expect(after.legalRepresentative.value).to.equal('王强');
    expect(changedFields(before, after)).to.deep.equal(['legalRepresentative']);
    expect(changedFields(before, before)).to.deep.equal([]);
  });
});
