import fs from 'node:fs';
import { expect } from 'chai';
import { DmnModdle } from 'dmn-moddle';
import { DmnChecker } from '../../../server/deployments/dmn-check';
import { ACTIONS, type ActionId, type Matter } from '../../../server/matters/schema';
import type { ReviewInput } from '../../../workers/review/facts';
import {
  CHINESE,
  cleanInput,
  license,
  matterOf,
  matters,
  patchEnterprise,
  points,
  review,
  setField,
  tableFile,
  TODAY,
  withhold,
} from './review-cases';

const actionsOf = (matter: Matter) => ACTIONS.filter((a) => matter.actions[a]);

describe('review tables (processes/*/review.dmn)', () => {
  it('finds the three matters', () => {
    expect(matters.map((m) => m.slug).sort()).to.deep.equal([
      'dangerous-goods-staff-employer-change',
      'public-place-hygiene-permit',
      'publication-licence-reissue',
    ]);
  });

  for (const matter of matters) {
    describe(matter.name, () => {
      it('passes the deployment check, with a DMNDI shape for its one decision', async () => {
        const xml = fs.readFileSync(tableFile(matter), 'utf8');
        const result = await new DmnChecker().check('review.dmn', xml);
        expect(result.errors).to.deep.equal([]);
        expect(result.resources).to.have.length(1);
        expect(result.resources[0]).to.include({ kind: 'dmn', id: `${matter.slug}-review` });
        expect(result.resources[0].name).to.match(CHINESE);
        expect(xml).to.contain(`dmnElementRef="${matter.slug}-review"`);
        expect(xml).to.contain('modeler:executionPlatform="Camunda Cloud"');
      });

      it('has rules for every review point, each with its point, severity, actions and a description', async () => {
        const { rootElement } = await new DmnModdle().fromXML(fs.readFileSync(tableFile(matter), 'utf8'), 'dmn:Definitions');
        const table = rootElement.drgElement[0].decisionLogic;
        expect(table.hitPolicy).to.equal('COLLECT');
        expect(table.output.map((o: { name: string }) => o.name)).to.deep.equal(['point', 'severity', 'message', 'field']);
        const actionColumn = table.input.findIndex((i: { inputExpression: { text: string } }) => i.inputExpression.text === 'facts.action');
        expect(actionColumn).to.be.at.least(0);
        const covered = new Set<string>();
        for (const rule of table.rule) {
          const point = matter.reviewPoints.find((p) => `"${p.id}"` === rule.outputEntry[0].text);
          expect(point, `${rule.id}: ${rule.outputEntry[0].text} is a review point of the matter`).to.not.equal(undefined);
          expect(rule.outputEntry[1].text, rule.id).to.equal(`"${point!.severity}"`);
          expect(rule.description, rule.id).to.match(CHINESE);
          const actions = [...String(rule.inputEntry[actionColumn].text).matchAll(/"([a-z]+)"/g)].map((m) => m[1]);
          expect(actions, `${rule.id} names its actions`).to.not.be.empty;
          expect(point!.actions, `${rule.id} only for ${point!.id}'s actions`).to.include.members(actions);
          covered.add(point!.id);
        }
        expect([...covered].sort()).to.deep.equal(matter.reviewPoints.map((p) => p.id).sort());
      });

      for (const action of actionsOf(matter)) {
        it(`${action}: a clean application gives no finding`, async () => {
          expect(await review(cleanInput(matter, action))).to.deep.equal([]);
        });
      }
    });
  }

  describe('a point only for some actions or answers stays silent elsewhere', () => {
    const hygiene = () => matterOf('public-place-hygiene-permit');

    it('no test report is needed under the commitment procedure (补交 after the licence)', async () => {
      const input = cleanInput(hygiene(), 'apply');
      input.answers = { ...input.answers, commitmentMode: 'commit' };
      input.materialList = input.materialList.filter((m) => m.code !== 'HP-05');
      withhold(input, 'HP-05');
      expect(await review(input)).to.deep.equal([]);
    });

    it('no air-conditioning report is needed without central air conditioning', async () => {
      const input = cleanInput(hygiene(), 'renew');
      input.answers = { ...input.answers, airConditioning: 'no' };
      input.materialList = input.materialList.filter((m) => m.code !== 'HP-07');
      withhold(input, 'HP-07');
      expect(await review(input)).to.deep.equal([]);
    });

    it('a cancellation needs no enterprise record, and an apply no licence', async () => {
      const cancel = cleanInput(hygiene(), 'cancel');
      cancel.enterprise = 'unavailable';
      expect(await review(cancel)).to.deep.equal([]);
      const apply = cleanInput(hygiene(), 'apply');
      apply.license = 'unavailable';
      expect(await review(apply)).to.deep.equal([]);
    });

    it('a stop date today is fine, and a change date of today too', async () => {
      const cancel = cleanInput(hygiene(), 'cancel');
      setField(cancel, 'stopDate', TODAY);
      expect(await review(cancel)).to.deep.equal([]);
      const change = cleanInput(hygiene(), 'change');
      setField(change, 'registrationChangeDate', TODAY);
      expect(await review(change)).to.deep.equal([]);
    });

    it('"不含危险货物" in a scope does not count as dangerous goods, "含危险货物" does', async () => {
      const matter = matterOf('dangerous-goods-staff-employer-change');
      const withScope = (businessScope: string) => {
        const input = cleanInput(matter, 'apply');
        patchEnterprise(input, { businessScope });
        return review(input);
      };
      expect(points(await withScope('道路货物运输（含危险货物）；货物仓储'))).to.deep.equal([]);
      expect(points(await withScope('道路货物运输(不含危险货物)'))).to.deep.equal(['DG-R01']);
    });

    it('a qualification of several categories counts for each of them', async () => {
      const input = cleanInput(matterOf('dangerous-goods-staff-employer-change'), 'apply');
      setField(input, 'qualificationCategory', '经营性道路危险货物运输驾驶员、道路危险货物运输押运人员');
      input.answers = { ...input.answers, staffCategory: 'escort' };
      expect(await review(input)).to.deep.equal([]);
    });
  });

  describe("the applicant's self-check on a draft", () => {
    it("does not wait for the employee's confirmation, asked only once the application is submitted (DG-R04)", async () => {
      const draft = cleanInput(matterOf('dangerous-goods-staff-employer-change'), 'apply');
      draft.draft = true;
      draft.confirmed = null;
      expect(await review(draft)).to.deep.equal([]);
      draft.draft = false;
      expect(points(await review(draft))).to.deep.equal(['DG-R04']);
    });

    it('does not count a reading still on its way as unreadable; after submission it does', async () => {
      const input = cleanInput(matterOf('dangerous-goods-staff-employer-change'), 'apply');
      input.handedIn = input.handedIn.map((m) => (m.code === 'DG-02' ? { ...m, ocrStatus: 'pending', fields: {} } : m));
      input.draft = true;
      expect(await review(input)).to.deep.equal([]);
      input.draft = false;
      const [finding] = await review(input);
      expect(finding).to.include({ point: 'DG-R10', severity: 'block', field: 'DG-02' });
      expect(finding.message).to.match(/^无法识别从业人员身份证明，需人工核对/);
    });
  });

  describe('a finding about one field or material names it (field)', () => {
    it('names the field of a mismatch, and none when several fields are in question', async () => {
      const matter = matterOf('dangerous-goods-staff-employer-change');
      const one = cleanInput(matter, 'apply');
      setField(one, 'staffName', '陈志刚');
      one.handedIn = one.handedIn.map((m) =>
        m.code === 'DG-02' ? { ...m, fields: { ...m.fields, name: { value: '陈志强', confidence: 0.95 } } } : m,
      );
      expect((await review(one)).map((f) => [f.point, f.field])).to.deep.equal([
        ['DG-R03', 'staffName'],
        ['DG-R08', 'staffName'],
      ]);
      const two = cleanInput(matter, 'apply');
      two.handedIn = two.handedIn.map((m) =>
        m.code === 'DG-02'
          ? { ...m, fields: { name: { value: '陈志刚', confidence: 0.95 }, idNumber: { value: '350102198805122368', confidence: 0.95 } } }
          : m,
      );
      expect((await review(two)).map((f) => [f.point, f.field])).to.deep.equal([['DG-R08', null]]);
    });

    it('names the material a finding is about', async () => {
      const input = cleanInput(matterOf('public-place-hygiene-permit'), 'apply');
      withhold(input, 'HP-05');
      expect((await review(input)).map((f) => [f.point, f.field])).to.deep.equal([['HP-R05', 'HP-05']]);
    });
  });

  describe('a registry that did not answer never lets a case pass', () => {
    const cases: { slug: string; action: ActionId; registry: string; change: (i: ReviewInput) => void; expected: string[] }[] = [
      {
        slug: 'public-place-hygiene-permit',
        action: 'apply',
        registry: 'enterprises',
        change: (i) => (i.enterprise = 'unavailable'),
        expected: ['HP-R01'],
      },
      {
        slug: 'public-place-hygiene-permit',
        action: 'change',
        registry: 'enterprises',
        change: (i) => (i.enterprise = 'unavailable'),
        expected: ['HP-R01', 'HP-R03'],
      },
      {
        slug: 'public-place-hygiene-permit',
        action: 'renew',
        registry: 'enterprises',
        change: (i) => (i.enterprise = 'unavailable'),
        expected: ['HP-R01'],
      },
      {
        slug: 'public-place-hygiene-permit',
        action: 'change',
        registry: 'licences',
        change: (i) => (i.license = 'unavailable'),
        expected: ['HP-R02'],
      },
      {
        slug: 'public-place-hygiene-permit',
        action: 'renew',
        registry: 'licences',
        change: (i) => (i.license = 'unavailable'),
        expected: ['HP-R02'],
      },
      {
        slug: 'public-place-hygiene-permit',
        action: 'cancel',
        registry: 'licences',
        change: (i) => (i.license = 'unavailable'),
        expected: ['HP-R02'],
      },
      {
        slug: 'publication-licence-reissue',
        action: 'apply',
        registry: 'enterprises',
        change: (i) => (i.enterprise = 'unavailable'),
        expected: ['PUB-R02', 'PUB-R03'],
      },
      {
        slug: 'publication-licence-reissue',
        action: 'apply',
        registry: 'licences',
        change: (i) => (i.license = 'unavailable'),
        expected: ['PUB-R01'],
      },
      {
        slug: 'dangerous-goods-staff-employer-change',
        action: 'apply',
        registry: 'enterprises',
        change: (i) => (i.enterprise = 'unavailable'),
        expected: ['DG-R01'],
      },
      {
        slug: 'dangerous-goods-staff-employer-change',
        action: 'apply',
        registry: 'persons',
        change: (i) => (i.secondParty!.person = 'unavailable'),
        expected: ['DG-R03'],
      },
      {
        slug: 'dangerous-goods-staff-employer-change',
        action: 'apply',
        registry: 'licences (the qualification)',
        change: (i) => (i.secondParty!.license = 'unavailable'),
        expected: ['DG-R02'],
      },
    ];
    for (const c of cases) {
      it(`${c.slug} ${c.action}: ${c.registry} unavailable → ${c.expected.join(', ')} block, for a clerk`, async () => {
        const input = cleanInput(matterOf(c.slug), c.action);
        c.change(input);
        const findings = await review(input);
        expect(points(findings)).to.deep.equal(c.expected);
        for (const finding of findings) {
          expect(finding.severity).to.equal('block');
          expect(finding.message).to.contain('无法').and.contain('转人工审查');
        }
      });
    }
  });

  describe('null and absent values never pass by accident', () => {
    it('an empty unit name cannot be matched to the registry (HP-R01, HP-R03)', async () => {
      const apply = cleanInput(matterOf('public-place-hygiene-permit'), 'apply');
      setField(apply, 'unitName', null);
      expect(points(await review(apply))).to.deep.equal(['HP-R01']);
      const change = cleanInput(matterOf('public-place-hygiene-permit'), 'change');
      setField(change, 'unitName', null);
      expect(points(await review(change))).to.deep.equal(['HP-R03']);
    });

    it('absent change items, staff counts and dates are findings, not silence', async () => {
      const change = cleanInput(matterOf('public-place-hygiene-permit'), 'change');
      delete change.form.changeItems;
      delete change.form.registrationChangeDate;
      expect(points(await review(change))).to.deep.equal(['HP-R03', 'HP-R04']);
      const renew = cleanInput(matterOf('public-place-hygiene-permit'), 'renew');
      delete renew.form.staffCount;
      delete renew.form.certifiedStaffCount;
      expect(points(await review(renew))).to.deep.equal(['HP-R07', 'HP-R07']);
      const cancel = cleanInput(matterOf('public-place-hygiene-permit'), 'cancel');
      delete cancel.form.stopDate;
      expect(points(await review(cancel))).to.deep.equal(['HP-R10']);
    });

    it('absent answers do not throw, and the questions they settle do not pass silently', async () => {
      const apply = cleanInput(matterOf('dangerous-goods-staff-employer-change'), 'apply');
      apply.answers = {};
      expect(points(await review(apply))).to.deep.equal(['DG-R02']);
    });

    it('a licence without an end date (长期) is valid; an expired one without a date still says why', async () => {
      const renew = cleanInput(matterOf('public-place-hygiene-permit'), 'renew');
      renew.license = license({ holderName: '北京悦华酒店管理有限公司', validUntil: null });
      expect(await review(renew)).to.deep.equal([]);
      renew.license = license({ status: 'expired', validUntil: null });
      const [finding] = await review(renew);
      expect(finding).to.include({ point: 'HP-R02', severity: 'block' });
      expect(finding.message).to.contain('已过期');
    });

    it('no second party at all: not named, no qualification, no confirmation', async () => {
      const input = cleanInput(matterOf('dangerous-goods-staff-employer-change'), 'apply');
      input.secondParty = null;
      input.confirmed = null;
      const findings = await review(input);
      expect(points(findings)).to.deep.equal(['DG-R02', 'DG-R03', 'DG-R04']);
      for (const finding of findings) expect(finding.message).to.be.a('string').and.match(CHINESE);
    });

    it('no previous employer on the qualification is no finding (DG-R05 compares only what is there)', async () => {
      const input = cleanInput(matterOf('dangerous-goods-staff-employer-change'), 'apply');
      setField(input, 'previousEmployer', null);
      expect(await review(input)).to.deep.equal([]);
    });
  });
});
