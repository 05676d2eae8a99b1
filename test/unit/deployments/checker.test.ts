import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { Checker, MAX_FILE_BYTES, MAX_FILES } from '../../../server/deployments/checker';
import { feelSyntaxError } from '../../../server/deployments/feel';
import { repositoryFiles } from '../../../server/deployments/repository';
import { elementIdNear } from '../../../server/deployments/xml-problems';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'deployments');
const file = (name: string, as = name) => ({ name: as, content: fs.readFileSync(path.join(FIXTURES, name)) });
const checker = new Checker();

describe('deployment check of a set of files', () => {
  it('checks every file of a set and reports them together', async () => {
    const { report } = await checker.inspect([
      file('hygiene-permit-apply.bpmn'),
      file('hygiene-permit-review.dmn'),
      file('hygiene-permit-review.form'),
      file('missing-task-definition.bpmn'),
      file('invalid-review.form'),
    ]);
    expect(report.ok).to.equal(false);
    expect(report.files.map((f) => [f.file, f.kind, f.errors.length])).to.deep.equal([
      ['hygiene-permit-apply.bpmn', 'bpmn', 0],
      ['hygiene-permit-review.dmn', 'dmn', 0],
      ['hygiene-permit-review.form', 'form', 0],
      ['missing-task-definition.bpmn', 'bpmn', 1],
      ['invalid-review.form', 'form', 3],
    ]);
    expect(report.errors).to.have.length(4);
  });

  it('refuses no files, and more than the cap', async () => {
    expect((await checker.inspect([])).report.errors[0].message).to.match(/^No files/);
    const many = Array.from({ length: MAX_FILES + 1 }, (_, n) => ({ name: `f${n}.form`, content: Buffer.from('{}') }));
    expect((await checker.inspect(many)).report.errors.at(-1)!.message).to.equal(`${MAX_FILES + 1} files: at most ${MAX_FILES} in one deployment`);
  });

  it('lifts the cap on the number of files for the repository', async () => {
    const many = Array.from({ length: MAX_FILES + 1 }, (_, n) => ({
      name: `f${n}.form`,
      content: Buffer.from(JSON.stringify({ id: `form-${n}`, type: 'default', components: [] })),
    }));
    expect((await checker.inspect(many, { limitFiles: false })).report.ok).to.equal(true);
  });

  it('refuses a file by its extension, naming it', async () => {
    const { report } = await checker.inspect([file('hygiene-permit-apply.bpmn', 'apply.bpmn.xml')]);
    expect(report.errors).to.deep.equal([{ file: 'apply.bpmn.xml', message: '"apply.bpmn.xml" is not a .bpmn, .dmn or .form file' }]);
  });

  it('accepts extensions in any case', async () => {
    expect((await checker.inspect([file('hygiene-permit-review.form', 'REVIEW.FORM')])).report.ok).to.equal(true);
  });

  it('refuses text that is not UTF-8, a NUL character, and a file over the size cap', async () => {
    const gbk = Buffer.from([0x3c, 0x78, 0x3e, 0xc9, 0xf3, 0xc5, 0xfa, 0x3c, 0x2f, 0x78, 0x3e]);
    const { report } = await checker.inspect([
      { name: 'gbk.bpmn', content: gbk },
      { name: 'nul.form', content: Buffer.from('{"id":"a\u0000"}') },
      { name: 'big.bpmn', content: Buffer.alloc(MAX_FILE_BYTES + 1, 0x20) },
    ]);
    expect(report.errors.map((e) => `${e.file}: ${e.message}`)).to.deep.equal([
      'gbk.bpmn: The file is not UTF-8 text',
      'nul.form: The file contains a NUL character: it is not a text file',
      `big.bpmn: The file is ${MAX_FILE_BYTES + 1} bytes; at most ${MAX_FILE_BYTES} are accepted`,
    ]);
  });

  it('refuses one id defined by two files, and one file name given twice', async () => {
    const { report } = await checker.inspect([
      file('hygiene-permit-review.form', 'a.form'),
      file('hygiene-permit-review.form', 'b.form'),
      file('hygiene-permit-review.form', 'a.form'),
    ]);
    expect(report.errors.map((e) => `${e.file} ${e.elementId ?? ''}: ${e.message}`)).to.deep.equal([
      'a.form : The same file name is given twice',
      'b.form public-place-hygiene-permit-review: The form id "public-place-hygiene-permit-review" is also defined in a.form',
      'a.form public-place-hygiene-permit-review: The form id "public-place-hygiene-permit-review" is also defined in a.form',
    ]);
  });

  it('gives the same checksum to the same bytes and another to other bytes', async () => {
    const { report } = await checker.inspect([file('hygiene-permit-review.form', 'a.form'), file('hygiene-permit-review.dmn')]);
    const again = (await checker.inspect([file('hygiene-permit-review.form', 'b.form')])).report;
    expect(report.files[0].checksum).to.equal(again.files[0].checksum);
    expect(report.files[0].checksum).not.to.equal(report.files[1].checksum);
  });
});

describe('FEEL syntax', () => {
  it('accepts expressions and unary tests that feelin parses', () => {
    for (const source of ['review.passed = true', 'count(review.findings) > 0 and not(sandbox)', 'date and time(warnAt)', '{a: 1}.a']) {
      expect(feelSyntaxError(source, 'expression'), source).to.equal(undefined);
    }
    for (const source of ['< 20', '"hotel","guesthouse"', '[1..5]', 'not("barbershop")', '-', '']) {
      expect(feelSyntaxError(source, 'unaryTests'), source).to.equal(undefined);
    }
  });

  it('says where an expression goes wrong', () => {
    expect(feelSyntaxError('a >', 'expression')).to.equal('it ends too early (incomplete)');
    expect(feelSyntaxError('', 'expression')).to.equal('the expression is empty');
    expect(feelSyntaxError('decision = "approve', 'expression')).to.equal('unexpected ""approve" at character 12');
    expect(feelSyntaxError('>= 20 and', 'unaryTests')).to.equal('it ends too early (incomplete)');
  });
});

describe('finding files and elements', () => {
  it('names the element opened last before a line', () => {
    const xml = '<a id="A">\n  <b id="B" name="x">\n    <c>\n  </b>';
    expect(elementIdNear(xml, 1)).to.equal('A');
    expect(elementIdNear(xml, 3)).to.equal('B');
    expect(elementIdNear(xml, 99)).to.equal('B');
  });

  it('lists the deployable files of a repository folder, skipping dot files and other files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'approvals-repository-'));
    try {
      fs.mkdirSync(path.join(dir, 'matter', 'nested'), { recursive: true });
      fs.mkdirSync(path.join(dir, '.git'));
      for (const name of ['matter/apply.bpmn', 'matter/review.dmn', 'matter/nested/apply.form', 'matter/matter.json', '.git/x.bpmn', 'matter/.draft.bpmn']) {
        fs.writeFileSync(path.join(dir, name), '');
      }
      expect(repositoryFiles(dir)).to.deep.equal(['matter/apply.bpmn', 'matter/nested/apply.form', 'matter/review.dmn']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
