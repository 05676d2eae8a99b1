import { expect } from 'chai';
import type { GuidanceRequest } from '../../../server/matters/guidance';
import {
  HYGIENE,
  ID_NUMBER,
  LICENSE,
  REISSUE,
  USCC,
  active,
  ask,
  business,
  enterprise,
  hygienePermit,
  type FakeWorld,
} from './fake-sources';

describe('guidance: the eligibility pre-check (条件预判)', () => {
  const complete = { changeItems: ['unit-name'], agent: 'self' };
  const change = (world: FakeWorld, extra: Partial<GuidanceRequest> = {}, caller = enterprise) =>
    ask(HYGIENE, { action: 'change', answers: complete, ...extra }, caller, world);

  it('passes an active enterprise holding a valid permit', async () => {
    const answer = await change({ enterprises: active, licenses: { [USCC]: [hygienePermit('2027-05-31')] } });
    expect(answer).to.include({ eligible: true });
    expect(answer.reasons).to.deep.equal([]);
  });

  it('refuses an enterprise the registry does not know, and one no longer active', async () => {
    const unknown = await change({});
    expect(unknown.eligible).to.equal(false);
    expect(unknown.reasons[0]).to.contain(`没有统一社会信用代码为 ${USCC} 的市场主体`);
    const revoked = await change({ enterprises: { [USCC]: { name: '上海明德餐饮管理有限公司', active: false, status: '吊销' } } });
    expect(revoked.reasons[0]).to.equal('上海明德餐饮管理有限公司的登记状态为"吊销"，不能办理本事项');
  });

  it('refuses a change without a permit, with an expired one, and with one revoked', async () => {
    expect((await change({ enterprises: active })).reasons).to.deep.equal([
      '您名下没有《公共场所卫生许可证》，变更须针对您持有的有效卫生许可证；尚未取得的，请办理新办。',
    ]);
    const expired = await change({ enterprises: active, licenses: { [USCC]: [hygienePermit('2026-02-01')] } });
    expect(expired.reasons[0]).to.contain('已于2026年2月1日到期，不能办理变更');
    const revoked = await change({ enterprises: active, licenses: { [USCC]: [hygienePermit('2027-05-31', { status: 'revoked' })] } });
    expect(revoked.reasons[0]).to.contain('状态为"已吊销或撤销"');
  });

  it('refuses a licence id the caller does not hold, without saying whose it is', async () => {
    const answer = await change(
      { enterprises: active, licenses: { [USCC]: [hygienePermit('2027-05-31')] } },
      { licenseId: 'someone-elses' },
    );
    expect(answer.reasons).to.deep.equal(['您名下没有这张《公共场所卫生许可证》，请核对所选证照']);
  });

  it('refuses a second application while one for the same licence is open', async () => {
    const answer = await change({
      enterprises: active,
      licenses: { [USCC]: [hygienePermit('2027-05-31')] },
      open: { 'lic-hp-1': { id: 'app-9', caseNumber: 'XH2026030100017' } },
    });
    expect(answer.eligible).to.equal(false);
    expect(answer.reasons[0]).to.contain('已有一件正在办理的申请（办件编号 XH2026030100017）');
  });

  it('passes when one of two permits is free, and speaks of the other only when none is', async () => {
    const two = { [USCC]: [hygienePermit('2027-05-31'), hygienePermit('2027-08-31', { id: 'lic-hp-2' })] };
    const oneOpen = await change({ enterprises: active, licenses: two, open: { 'lic-hp-1': { id: 'a', caseNumber: null } } });
    expect(oneOpen).to.include({ eligible: true });
    const bothOpen = await change({
      enterprises: active,
      licenses: two,
      open: { 'lic-hp-1': { id: 'a', caseNumber: null }, 'lic-hp-2': { id: 'b', caseNumber: null } },
    });
    expect(bothOpen.reasons).to.have.length(2);
  });

  describe('renewal only within its window (90 to 30 days before expiry, from matter.json)', () => {
    const renew = (validUntil: string) =>
      ask(HYGIENE, { action: 'renew', answers: { renewChanges: 'none', airConditioning: 'no', agent: 'self' } }, enterprise, {
        enterprises: active,
        licenses: { [USCC]: [hygienePermit(validUntil)] },
      });

    it('passes inside the window', async () => {
      expect(await renew('2026-04-30')).to.include({ eligible: true });
    });

    it('refuses too early, saying from when', async () => {
      expect((await renew('2026-12-31')).reasons[0]).to.contain('有效期至2026年12月31日，2026年10月2日起才能申请延续');
    });

    it('refuses too late, saying by when it was due', async () => {
      const reason = (await renew('2026-03-20')).reasons[0];
      expect(reason).to.contain('最迟应于2026年2月18日申请延续').and.contain('按新办重新申请');
    });

    it('opens on its first day and closes after its last', async () => {
      expect(await renew('2026-05-31'), 'opens 2026-03-02 = today').to.include({ eligible: true });
      expect(await renew('2026-04-01'), 'closes 2026-03-02 = today').to.include({ eligible: true });
      expect(await renew('2026-03-31'), 'closed 2026-03-01').to.include({ eligible: false });
    });
  });

  it('refuses a person where the matter serves organisations, and does not check staff', async () => {
    const person = await ask(HYGIENE, { action: 'apply' }, { kind: 'person', code: ID_NUMBER });
    expect(person.eligible).to.equal(false);
    expect(person.reasons[0]).to.contain('请使用法人账号登录后办理');
    const clerk = await ask(HYGIENE, { action: 'apply' }, { kind: 'staff', code: null });
    expect(clerk).to.not.have.property('eligible');
    expect(clerk.reasons).to.deep.equal([]);
  });

  it('looks the lost licence up for the reissue', async () => {
    const world: FakeWorld = {
      enterprises: active,
      licenses: {
        [USCC]: [
          business,
          { id: 'pub-1', number: '新出发沪徐零字第0123号', status: 'valid', validUntil: '2028-03-31', type: LICENSE.publication },
        ],
      },
    };
    const answer = await ask(
      REISSUE,
      { action: 'apply', answers: { registrationChanged: 'no', lossType: 'damaged', agent: 'self' } },
      enterprise,
      world,
    );
    expect(answer).to.include({ eligible: true });
    expect(answer.situation?.id).to.equal('reissue-damaged');
    expect(answer.materials.filter((m) => !m.exemptBecause).map((m) => m.code)).to.deep.equal(['PUB-05']);
  });
});
