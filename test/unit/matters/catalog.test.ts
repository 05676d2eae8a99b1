import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadMatters, summarize } from '../../../server/matters/catalog';
import type { Matter } from '../../../server/matters/schema';
import { StartRefused } from '../../../server/start-refused';

const PROCESSES = path.resolve('processes');
const HYGIENE = 'public-place-hygiene-permit';

/** A copy of processes/ with one file changed, and the error loading it gives. */
function refusal(file: string, change: (json: any) => void, raw?: (text: string) => string): StartRefused {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'matters-'));
  fs.cpSync(PROCESSES, dir, { recursive: true });
  const target = path.join(dir, file);
  const json = JSON.parse(fs.readFileSync(target, 'utf8'));
  change(json);
  fs.writeFileSync(target, raw ? raw(JSON.stringify(json)) : JSON.stringify(json));
  try {
    loadMatters(dir);
  } catch (error) {
    expect(error).to.be.instanceOf(StartRefused);
    expect((error as Error).message).to.contain(target);
    return error as StartRefused;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return expect.fail(`${file} loaded although broken`);
}

const hygieneFile = path.join(HYGIENE, 'matter.json');

describe('the matter catalog', () => {
  const catalog = loadMatters(PROCESSES);
  const hygiene = catalog.get(HYGIENE)!;

  it('holds the three matters of DOMAIN.md with the actions each has', () => {
    expect(catalog.list().map(summarize)).to.deep.include.members([
      {
        slug: HYGIENE,
        code: '000172011000',
        implementationCode: '11110101MB1D20451M4000172011000',
        name: '公共场所卫生许可',
        type: '行政许可',
        department: { id: 'health', name: '北京市东城区卫生健康委员会' },
        actions: ['apply', 'change', 'renew', 'cancel'],
        autoApproval: { apply: false, change: true, renew: false, cancel: true },
      },
    ]);
    const bySlug = Object.fromEntries(catalog.list().map((m) => [m.slug, summarize(m)]));
    expect(bySlug['publication-licence-reissue']).to.deep.include({
      actions: ['apply'],
      autoApproval: { apply: true },
      department: { id: 'culture', name: '北京市东城区文化和旅游局' },
    });
    expect(bySlug['dangerous-goods-staff-employer-change']).to.deep.include({
      actions: ['apply'],
      autoApproval: { apply: true },
      department: { id: 'transport', name: '福州市交通运输局' },
    });
    expect(catalog.get('dangerous-goods-staff-employer-change')!.actions.apply!.secondParty?.confirmWithin).to.deep.equal({
      value: 3,
      unit: 'calendar-day',
    });
  });

  it('asks the applicant to type 10 of the 21 fields of the hygiene-permit change (the article: 21 before, 10 after)', () => {
    const fields = hygiene.actions.change!.fields;
    expect(fields).to.have.length(21);
    expect(fields.filter((f) => f.prefill.from === 'applicant')).to.have.length(10);
  });

  it('asks nothing of the reissue and the employer change beyond what only the applicant knows', () => {
    const typed = (m: Matter) => m.actions.apply!.fields.filter((f) => f.prefill.from === 'applicant').map((f) => f.key);
    expect(typed(catalog.get('publication-licence-reissue')!)).to.deep.equal([
      'reissueCopies',
      'lossDate',
      'lossCircumstances',
      'contactName',
      'contactPhone',
      'statementAccepted',
    ]);
    // The employee's name and mobile come from the person registry once the employer types their ID number.
    expect(typed(catalog.get('dangerous-goods-staff-employer-change')!)).to.deep.equal([
      'staffIdNumber',
      'employmentStart',
      'contactName',
      'contactPhone',
    ]);
  });

  it('exempts all five materials of the employer change (the article: all 5)', () => {
    const materials = catalog.get('dangerous-goods-staff-employer-change')!.materials;
    expect(materials).to.have.length(5);
    expect(materials.every((m) => m.source.channel !== 'applicant')).to.equal(true);
  });

  it('reads the renewal window and the extension from the guide', () => {
    expect(hygiene.actions.renew!.renewalWindow).to.deep.include({ closesBefore: { value: 30, unit: 'calendar-day' } });
    expect(hygiene.actions.apply!.extension).to.deep.include({ allowed: true, maxDays: 10 });
  });

  it('without a processes folder is empty, with a calendar of weekends only, all provisional', () => {
    const empty = loadMatters(path.join(os.tmpdir(), 'no-such-processes-dir'));
    expect(empty.list()).to.deep.equal([]);
    expect(empty.calendar.isWorkingDay('2026-10-01')).to.equal(true);
    expect(empty.calendar.isProvisional('2026-10-01')).to.equal(true);
  });

  describe('should NOT start with a broken file, and names the file and the field', () => {
    it('JSON that does not parse', () => {
      expect(
        refusal(
          hygieneFile,
          () => {},
          (text) => text.slice(0, -1),
        ).message,
      ).to.contain('cannot be read as JSON');
    });

    const cases: [string, string, (json: any) => void, string][] = [
      [
        'a missing promised time limit',
        hygieneFile,
        (json) => {
          delete json.actions.change.promisedTimeLimit;
        },
        'actions.change.promisedTimeLimit',
      ],
      [
        'a time limit in hours',
        hygieneFile,
        (json) => {
          json.actions.apply.legalTimeLimit.unit = 'hour';
        },
        'actions.apply.legalTimeLimit.unit',
      ],
      [
        'a promised limit longer than the legal one',
        hygieneFile,
        (json) => {
          json.actions.change.promisedTimeLimit.value = 30;
        },
        'actions.change.promisedTimeLimit.value',
      ],
      [
        'an unknown field',
        hygieneFile,
        (json) => {
          json.actions.cancel.fields[0].color = 'red';
        },
        'actions.cancel.fields[0]',
      ],
      [
        'a department code with a bad character',
        hygieneFile,
        (json) => {
          json.department.code = '11110101MB1D20451I';
        },
        'department.code',
      ],
      [
        'an implementation code of another department',
        hygieneFile,
        (json) => {
          json.codes.implementation = '11110101MB1D21075L4000172011000';
        },
        'codes.implementation',
      ],
      [
        'a slug other than its folder',
        hygieneFile,
        (json) => {
          json.slug = 'hygiene';
        },
        'slug',
      ],
      [
        'a material on a question that does not exist',
        hygieneFile,
        (json) => {
          json.materials[8].when = { nobody: ['yes'] };
        },
        'materials[8].when.nobody',
      ],
      [
        'a material on an answer that does not exist',
        hygieneFile,
        (json) => {
          json.materials[8].when = { agent: ['maybe'] };
        },
        'materials[8].when.agent[0]',
      ],
      [
        'a conditional material without its condition',
        hygieneFile,
        (json) => {
          delete json.materials[4].when;
        },
        'materials[4].when',
      ],
      [
        'an undeclared licence type',
        hygieneFile,
        (json) => {
          json.materials[11].source.licenseType = '11100000MB0357202A999';
        },
        'materials[11].source.licenseType',
      ],
      [
        'a field on an official form the action lacks',
        hygieneFile,
        (json) => {
          json.actions.change.fields[0].forms = ['nowhere'];
        },
        'actions.change.fields[0].forms[0]',
      ],
      [
        'two fields with one key',
        hygieneFile,
        (json) => {
          json.actions.cancel.fields[1].key = 'licenseNumber';
        },
        'actions.cancel.fields[1].key',
      ],
      [
        'a question that decides nothing',
        hygieneFile,
        (json) => {
          json.materials[8].requirement = 'required';
          delete json.materials[8].when;
          delete json.materials[8].conditionText;
        },
        'questions[6]',
      ],
      [
        'answers that lead to no situation',
        hygieneFile,
        (json) => {
          json.situations = json.situations.filter((s: { id: string }) => s.id !== 'renew-facilities-changed');
        },
        'no situation of renew',
      ],
      [
        'a renewal window that closes before it opens',
        hygieneFile,
        (json) => {
          json.actions.renew.renewalWindow.opensBefore.value = 20;
        },
        'actions.renew.renewalWindow.opensBefore',
      ],
      [
        'a renewal window without the licence renewed',
        hygieneFile,
        (json) => {
          delete json.actions.renew.requiredLicense;
        },
        'actions.renew.renewalWindow',
      ],
      [
        'a second-party material where no second party confirms',
        'publication-licence-reissue/matter.json',
        (json) => {
          json.materials[2].source.holder = 'second-party';
        },
        'materials[2].source',
      ],
      [
        'a holiday calendar with a make-up weekday',
        'common/holidays.json',
        (json) => {
          json.years['2026'].workdays[0].date = '2026-01-05';
        },
        'years.2026.workdays[0].date',
      ],
      [
        'a holiday calendar with an impossible date',
        'common/holidays.json',
        (json) => {
          json.years['2026'].holidays[0].to = '2026-02-30';
        },
        'years.2026.holidays[0].to',
      ],
    ];
    for (const [name, file, change, field] of cases) {
      it(name, () => {
        expect(refusal(file, change).message).to.contain(field);
      });
    }

    it('a matter folder without the holiday calendar', () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'matters-'));
      fs.cpSync(path.join(PROCESSES, HYGIENE), path.join(dir, HYGIENE), { recursive: true });
      try {
        expect(() => loadMatters(dir)).to.throw(StartRefused, 'holidays.json is missing');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
