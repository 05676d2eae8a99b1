import { expect } from 'chai';
import { execFile, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createKeyStore, renderLicense, signPdf } from '../../../workers/esign/index';
import { CREATED_AT, CULTURE, HEALTH, hygienePermit, verifyUrl } from '../../unit/esign/fixtures';

const SCRIPT = path.resolve('test/integration/esign/make-keys.ts');
const run = promisify(execFile);
const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

function makeKeys(dir: string): Promise<{ root: string; health: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!)) : reject(new Error(out))));
  });
}

describe('esign keys across processes, and signatures read by other tools', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'esign-int-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('makes one development CA when two processes start at once on an empty folder, and reloads it after', async () => {
    const [a, b] = await Promise.all([makeKeys(dir), makeKeys(dir)]);
    expect(a).to.deep.equal(b);
    expect(await makeKeys(dir)).to.deep.equal(a);
    expect(fs.readdirSync(path.join(dir, 'departments'))).to.have.length(1);
  });

  async function twiceSigned(): Promise<{ pdf: Buffer; rootPem: string }> {
    const keys = createKeyStore({ devCaDir: dir });
    const [health, culture] = await keys.prepare([HEALTH, CULTURE]);
    const licence = await renderLicense(hygienePermit(), { verifyUrl: verifyUrl('L-1'), createdAt: CREATED_AT });
    const once = await signPdf(licence, health, { reason: '颁发电子证照' });
    const pdf = await signPdf(once, culture, { reason: '复核' });
    return { pdf, rootPem: (await keys.trustAnchors())[0].toString() };
  }

  it('gives CMS signatures OpenSSL verifies, chained to the development CA', async function () {
    if (!has('openssl')) this.skip();
    const { pdf, rootPem } = await twiceSigned();
    fs.writeFileSync(path.join(dir, 'root.pem'), rootPem);
    const text = pdf.toString('latin1');
    const ranges = [...text.matchAll(/\/ByteRange \[(\d+) (\d+) (\d+) (\d+)\]/g)].map((m) => m.slice(1).map(Number));
    expect(ranges).to.have.length(2);
    for (const [i, [start, length, second, secondLength]] of ranges.entries()) {
      fs.writeFileSync(path.join(dir, `sig${i}.der`), Buffer.from(text.slice(length + 1, second - 1), 'hex'));
      fs.writeFileSync(
        path.join(dir, `content${i}`),
        Buffer.concat([pdf.subarray(start, length), pdf.subarray(second, second + secondLength)]),
      );
      const { stderr } = await run('openssl', [
        'cms',
        '-verify',
        '-binary',
        '-inform',
        'DER',
        '-purpose',
        'any',
        '-in',
        path.join(dir, `sig${i}.der`),
        '-content',
        path.join(dir, `content${i}`),
        '-CAfile',
        path.join(dir, 'root.pem'),
        '-out',
        '/dev/null',
      ]);
      expect(stderr).to.include('Verification successful');
    }
  });

  it('gives a PDF whose two signatures poppler (pdfsig) finds valid, the last over the whole document', async function () {
    if (!has('pdfsig')) this.skip();
    const { pdf } = await twiceSigned();
    fs.writeFileSync(path.join(dir, 'signed.pdf'), pdf);
    const { stdout } = await run('pdfsig', [path.join(dir, 'signed.pdf')]).catch((e: { stdout: string }) => e);
    expect(stdout.match(/Signature Validation: Signature is Valid\./g)).to.have.length(2);
    expect(stdout).to.include('Signature Type: ETSI.CAdES.detached');
    expect(stdout).to.include('Total document signed');
  });
});
