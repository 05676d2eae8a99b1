import { expect } from 'chai';
import { checkEligibility, type Caller } from '../../../server/matters/eligibility';
import { recheckAfterSubmission } from '../../../workers/prefill/recheck';
import { active, catalog, enterprise, fakeSources, HYGIENE, hygienePermit, USCC, type FakeWorld } from '../matters/fake-sources';

/** The prefill task's re-check after submission, on Monday 2 March 2026: what ends the case, what the review decides. */
describe('prefill: the conditions checked again after submission', () => {
  const recheck = async (action: 'change' | 'renew', world: FakeWorld, caller: Caller = enterprise) => {
    const checked = await checkEligibility({
      matter: HYGIENE,
      action: HYGIENE.actions[action]!,
      caller,
      today: '2026-03-02',
      calendar: catalog.calendar,
      sources: fakeSources(world).eligibility,
    });
    return recheckAfterSubmission(checked!.problems);
  };

  it('leaves to the review what its table checks: an expired, a revoked, a missing permit, an enterprise no longer active', async () => {
    const expired = await recheck('change', { enterprises: active, licenses: { [USCC]: [hygienePermit('2026-02-01')] } });
    expect(expired.ending).to.deep.equal([]);
    expect(expired.forReview).to.have.length(1);
    expect(expired.forReview[0]).to.contain('已于2026年2月1日到期');
    const revoked = await recheck('change', {
      enterprises: active,
      licenses: { [USCC]: [hygienePermit('2027-05-31', { status: 'revoked' })] },
    });
    expect(revoked).to.deep.include({ ending: [] });
    expect(revoked.forReview[0]).to.contain('已吊销或撤销');
    const none = await recheck('change', { enterprises: active });
    expect(none.ending).to.deep.equal([]);
    expect(none.forReview[0]).to.contain('您名下没有《公共场所卫生许可证》');
    const inactive = await recheck('change', {
      enterprises: { [USCC]: { name: '上海明德餐饮管理有限公司', active: false, status: '吊销' } },
      licenses: { [USCC]: [hygienePermit('2027-05-31')] },
    });
    expect(inactive).to.deep.equal({ ending: [], forReview: ['上海明德餐饮管理有限公司的登记状态为"吊销"，不能办理本事项'] });
  });

  it('ends what no review point covers and cannot stand: no such enterprise, a renewal past its window, a second open application', async () => {
    const unknown = await recheck('change', { licenses: { [USCC]: [hygienePermit('2027-05-31')] } });
    expect(unknown.ending).to.have.length(1);
    expect(unknown.ending[0]).to.contain(`没有统一社会信用代码为 ${USCC} 的市场主体`);
    const late = await recheck('renew', { enterprises: active, licenses: { [USCC]: [hygienePermit('2026-03-20')] } });
    expect(late.forReview).to.deep.equal([]);
    expect(late.ending).to.have.length(1);
    expect(late.ending[0]).to.contain('最迟应于2026年2月18日申请延续');
    const open = await recheck('change', {
      enterprises: active,
      licenses: { [USCC]: [hygienePermit('2027-05-31')] },
      open: { 'lic-hp-1': { id: 'app-9', caseNumber: 'XH2026030100017' } },
    });
    expect(open.ending).to.have.length(1);
    expect(open.ending[0]).to.contain('XH2026030100017');
  });

  it('ends a case of the wrong kind of account, and keeps both kinds apart when both are found', async () => {
    const person = await recheck('change', { enterprises: active }, { kind: 'person', code: '360426199101010071' });
    expect(person.ending[0]).to.contain('请使用法人账号登录后办理');
    expect(person.forReview[0]).to.contain('您名下没有《公共场所卫生许可证》');
  });
});
