import { expect } from 'chai';
import { formatPath } from '../../../server/matters/data-file';
import { effectiveAnswers, materialsFor, nextQuestion, situationOf } from '../../../server/matters/questionnaire';
import { matterSchema } from '../../../server/matters/schema';

const limit = { value: 5, unit: 'working-day' };
const option = (value: string) => ({ value, label: value });
const material = (code: string, extra: object = {}) => ({
  code,
  name: code,
  actions: ['apply'],
  requirement: 'required',
  form: ['电子件'],
  copies: 1,
  source: { channel: 'applicant' },
  fileTypes: ['pdf'],
  acceptanceStandard: '清晰完整',
  ...extra,
});

/** A small matter whose second question is asked only after a "yes" to the first. */
function branchingMatter(change: (json: any) => void = () => {}) {
  const json: any = {
    slug: 'branching',
    name: '分支事项',
    codes: { basic: '000100001000', implementation: '11310104MB2F0471144000100001000' },
    type: '行政确认',
    department: { id: 'health', name: '卫健委', code: '11310104MB2F047114' },
    legalBasis: [{ name: '《某条例》', summary: '依据' }],
    conditions: ['条件'],
    process: ['流程'],
    serviceObjects: ['企业法人'],
    onlineDepth: { level: 4, text: '全程网办' },
    fee: { charged: false, basis: '不收费' },
    result: '结果',
    licenseTypes: [],
    actions: {
      apply: {
        name: '申请',
        legalTimeLimit: limit,
        promisedTimeLimit: limit,
        autoApproval: true,
        visits: 0,
        suspensionAllowed: false,
        extension: { allowed: false },
        officialForms: [{ id: 'form', name: '申请表' }],
        fields: [{ key: 'name', label: '名称', type: 'text', required: true, forms: ['form'], prefill: { from: 'applicant' } }],
      },
    },
    questions: [
      { id: 'hasBranch', text: '是否有分店？', actions: ['apply'], options: [option('yes'), option('no')] },
      {
        id: 'branchCount',
        text: '几家分店？',
        actions: ['apply'],
        askWhen: { hasBranch: ['yes'] },
        options: [option('one'), option('many')],
      },
    ],
    situations: [
      { id: 'single', name: '单店', actions: ['apply'], when: { hasBranch: ['no'] } },
      { id: 'chain', name: '连锁', actions: ['apply'], when: { hasBranch: ['yes'] } },
    ],
    materials: [
      material('BR-01'),
      material('BR-02', { requirement: 'conditional', when: { branchCount: ['many'] }, conditionText: '多家分店的提交' }),
    ],
    reviewPoints: [{ id: 'BR-R01', text: '要点', severity: 'block', hint: '提示', actions: ['apply'] }],
  };
  change(json);
  return matterSchema.safeParse(json);
}

describe('the questionnaire with a follow-up question', () => {
  const parsed = branchingMatter();
  if (!parsed.success) throw new Error(parsed.error.message);
  const matter = parsed.data;

  it('asks the follow-up only after the answer that opens it', () => {
    expect(nextQuestion(matter, 'apply', {})?.id).to.equal('hasBranch');
    expect(nextQuestion(matter, 'apply', { hasBranch: 'yes' })?.id).to.equal('branchCount');
    expect(nextQuestion(matter, 'apply', { hasBranch: 'no' })).to.equal(undefined);
  });

  it('drops an answer left over from the other branch, with the material it would bring', () => {
    const answers = effectiveAnswers(matter, 'apply', { hasBranch: 'no', branchCount: 'many' });
    expect(answers).to.deep.equal({ hasBranch: 'no' });
    expect(situationOf(matter, 'apply', answers)?.id).to.equal('single');
    expect(materialsFor(matter, 'apply', answers).map((m) => m.code)).to.deep.equal(['BR-01']);
  });

  it('adds the material of the follow-up answer', () => {
    const answers = effectiveAnswers(matter, 'apply', { hasBranch: 'yes', branchCount: 'many' });
    expect(situationOf(matter, 'apply', answers)?.id).to.equal('chain');
    expect(materialsFor(matter, 'apply', answers).map((m) => m.code)).to.deep.equal(['BR-01', 'BR-02']);
  });

  it('should NOT accept a question that opens on a later one', () => {
    const broken = branchingMatter((json) => {
      json.questions.reverse();
    });
    expect(broken.success).to.equal(false);
    const issues = broken.error!.issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
    expect(issues).to.include('questions[0].askWhen.hasBranch: question "hasBranch" must come before the one it decides');
  });

  it('should NOT accept a multiple choice whose answers reach no situation', () => {
    const broken = branchingMatter((json) => {
      json.questions[0].multiple = true;
      json.situations[0].when = { hasBranch: ['no'], branchCount: ['one'] };
    });
    expect(broken.success).to.equal(false);
    expect(broken.error!.issues[0].message).to.match(/^no situation of apply fits the answers/);
  });
});
