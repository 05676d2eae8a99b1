import { expect } from 'chai';
import { AppError } from '../../../server/errors';
import { HYGIENE, REISSUE, STAFF_CHANGE, USCC, active, ask, business, enterprise, hygienePermit, type FakeWorld } from './fake-sources';

async function refused(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => expect.fail('answered'),
    (e: unknown) => e,
  );
  expect(error).to.be.instanceOf(AppError);
  expect((error as AppError).status).to.equal(400);
  return error as AppError;
}

describe('guidance (问诊式导办)', () => {
  describe('the questionnaire', () => {
    it('asks the first question, lists only the materials already settled, and has no situation yet', async () => {
      const answer = await ask(HYGIENE, { action: 'change' });
      expect(answer.situation).to.equal(null);
      expect(answer.nextQuestion).to.deep.include({ id: 'changeItems', multiple: true });
      expect(answer.nextQuestion!.options.map((o) => o.value)).to.deep.equal([
        'unit-name',
        'legal-representative',
        'business-items',
        'address',
      ]);
      expect(answer.materials.map((m) => m.code)).to.deep.equal(['HP-02', 'HP-11', 'HP-12']);
      expect(answer).to.not.have.property('eligible');
      expect(answer.reasons).to.deep.equal([]);
    });

    it('asks the next question once one is answered, and adds the materials that answer brings', async () => {
      const answer = await ask(HYGIENE, { action: 'change', answers: { changeItems: ['legal-representative'] } });
      expect(answer.nextQuestion?.id).to.equal('agent');
      expect(answer.materials.map((m) => m.code)).to.include('HP-13');
    });

    it('settles the situation and the whole list when every question is answered: 4 materials for the change (the article)', async () => {
      const answer = await ask(HYGIENE, {
        action: 'change',
        answers: { changeItems: ['unit-name', 'legal-representative'], agent: 'self' },
      });
      expect(answer).to.not.have.property('nextQuestion');
      expect(answer.situation).to.deep.equal({ id: 'change-name-or-representative', name: '变更单位名称或者法定代表人（负责人）' });
      expect(answer.materials.map((m) => m.code)).to.deep.equal(['HP-02', 'HP-11', 'HP-12', 'HP-13']);
      expect(answer.materials.every((m) => m.required)).to.equal(true);
    });

    it('decides the apply situation by the way chosen, with the materials of each', async () => {
      const base = { venueType: 'accommodation', airConditioning: 'yes', agent: 'agent' };
      const commit = await ask(HYGIENE, { action: 'apply', answers: { ...base, commitmentMode: 'commit' } });
      const standard = await ask(HYGIENE, { action: 'apply', answers: { ...base, commitmentMode: 'standard' } });
      expect(commit.situation?.id).to.equal('apply-commitment');
      expect(standard.situation?.id).to.equal('apply-standard');
      expect(commit.materials.map((m) => m.code))
        .to.include.members(['HP-07', 'HP-09', 'HP-10'])
        .and.not.include('HP-05');
      expect(standard.materials.map((m) => m.code))
        .to.include.members(['HP-05', 'HP-07', 'HP-09'])
        .and.not.include('HP-10');
    });

    it('refuses by the answer itself, for anyone: a change of address needs a new application', async () => {
      const answer = await ask(HYGIENE, { action: 'change', answers: { changeItems: ['unit-name', 'address'] } });
      expect(answer.eligible).to.equal(false);
      expect(answer.reasons).to.have.length(1);
      expect(answer.reasons[0]).to.contain('应当重新申请卫生许可证');
      expect(answer).to.not.have.property('nextQuestion');
    });

    it('tells a place outside the regulation that it needs no permit', async () => {
      const answer = await ask(HYGIENE, { action: 'apply', answers: { venueType: 'none' } });
      expect(answer.eligible).to.equal(false);
      expect(answer.reasons[0]).to.contain('无需办理本事项');
    });

    it('keeps the situation of the employer change to the staff category', async () => {
      const answer = await ask(STAFF_CHANGE, { action: 'apply', answers: { staffCategory: 'escort', certificateOrigin: 'local' } });
      expect(answer.situation).to.deep.equal({ id: 'change-escort', name: '押运人员变更服务单位' });
    });
  });

  describe('should NOT take bad answers: 400 naming each', () => {
    it('an action the matter does not have', async () => {
      const error = await refused(ask(REISSUE, { action: 'renew' }));
      expect(error.details).to.deep.equal([{ field: 'body.action', message: 'must be one of apply' }]);
    });

    it('a question that does not exist, one of another action, a value not offered, and a list for a single choice, all at once', async () => {
      const error = await refused(
        ask(HYGIENE, {
          action: 'change',
          answers: { favouriteColour: 'red', venueType: 'bathing', changeItems: ['moving'], agent: ['self'] },
        }),
      );
      const fields = (error.details as { field: string; message: string }[]).map((d) => d.field);
      expect(fields).to.deep.equal([
        'body.answers.favouriteColour',
        'body.answers.venueType',
        'body.answers.changeItems',
        'body.answers.agent',
      ]);
      expect(error.message).to.contain('没有这个问题').and.contain('不属于').and.contain('不是可选答案');
    });

    it('a single value for a multiple choice, an empty list, a value twice', async () => {
      for (const changeItems of ['unit-name', [], ['unit-name', 'unit-name']]) {
        const error = await refused(ask(HYGIENE, { action: 'change', answers: { changeItems } }));
        expect(error.details).to.have.length(1);
      }
    });
  });

  describe('exemptions (免交)', () => {
    it('exempts what the platform makes, for anyone, and nothing of the caller without a caller', async () => {
      const answer = await ask(HYGIENE, { action: 'change', answers: { changeItems: ['legal-representative'], agent: 'self' } });
      const byCode = Object.fromEntries(answer.materials.map((m) => [m.code, m]));
      expect(byCode['HP-11'].exemptBecause).to.equal('在线填写后由系统自动生成，无需另行提交');
      expect(byCode['HP-02']).to.not.have.property('exemptBecause');
      expect(byCode['HP-12']).to.not.have.property('exemptBecause');
    });

    it("exempts the caller's e-licences and registry records when the lookups find them", async () => {
      const world: FakeWorld = {
        enterprises: active,
        licenses: { [USCC]: [business, hygienePermit('2027-05-31')] },
        registry: { enterprise: [USCC] },
      };
      const answer = await ask(
        HYGIENE,
        { action: 'change', answers: { changeItems: ['legal-representative'], agent: 'agent' } },
        enterprise,
        world,
      );
      const byCode = Object.fromEntries(answer.materials.map((m) => [m.code, m.exemptBecause]));
      expect(byCode).to.deep.equal({
        'HP-02': '已从电子证照库调取您的《营业执照》，无需提交',
        'HP-09': undefined,
        'HP-11': '在线填写后由系统自动生成，无需另行提交',
        'HP-12': '已从电子证照库调取您的《公共场所卫生许可证》，无需提交',
        'HP-13': '已通过市场监管部门企业登记信息核验，无需提交',
      });
    });

    it('exempts all five materials of the employer change: the employee confirms, the library has the rest', async () => {
      const world: FakeWorld = {
        enterprises: active,
        licenses: { [USCC]: [business] },
      };
      const answer = await ask(
        STAFF_CHANGE,
        { action: 'apply', answers: { staffCategory: 'driver', certificateOrigin: 'local' } },
        enterprise,
        world,
      );
      expect(answer.materials).to.have.length(5);
      expect(answer.materials.every((m) => m.exemptBecause)).to.equal(true);
      expect(answer.materials.find((m) => m.code === 'DG-03')!.exemptBecause).to.equal(
        '在从业人员确认时从电子证照库调取《道路运输从业人员从业资格证》，无需提交',
      );
      expect(answer.eligible).to.equal(true);
    });

    it('should NOT exempt when a lookup fails; the applicant can still hand it in', async () => {
      const answer = await ask(
        REISSUE,
        { action: 'apply', answers: { registrationChanged: 'no', lossType: 'lost', agent: 'self' } },
        enterprise,
        { down: true },
      );
      expect(answer.materials.find((m) => m.code === 'PUB-03')).to.not.have.property('exemptBecause');
      expect(answer).to.not.have.property('eligible');
      expect(answer.reasons).to.include.members(['暂时无法查询企业登记信息，请稍后再试', '暂时无法查询电子证照库，请稍后再试']);
    });
  });
});
