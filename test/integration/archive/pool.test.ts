import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildArchivePackage, verifyArchivePackage, VerifyPool } from '../../../workers/archive/index';
import { repack } from '../../unit/archive/repack';
import { ARCHIVED_AT, archiveKit, closedCase, signedDocuments, type ArchiveKit } from '../../unit/archive/fixtures';

describe('archive verify pool (worker threads)', () => {
  let dir: string;
  let kit: ArchiveKit;
  let packages: Buffer[];
  let pool: VerifyPool;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'archive-pool-'));
    kit = await archiveKit(dir);
    const documents = await signedDocuments(kit);
    packages = await Promise.all(
      [1, 2, 3, 4, 5].map(
        async (i) =>
          (await buildArchivePackage(closedCase(kit, documents, i), { platformKey: kit.platformKey, createdAt: ARCHIVED_AT })).bytes,
      ),
    );
    packages[3] = repack(packages[3], ({ files }) => files.set('form.json', Buffer.from('{}')), { rehash: false });
    pool = new VerifyPool({ size: 2, platformPublicKey: kit.platformKey.publicKeyPem(), trustAnchors: kit.trustAnchors });
  });
  after(async () => {
    await pool?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('gives the same reports as verifying in this thread, from bytes and from files', async () => {
    const direct = await Promise.all(
      packages.map((bytes) =>
        verifyArchivePackage(bytes, { platformPublicKey: kit.platformKey.publicKeyPem(), trustAnchors: kit.trustAnchors }),
      ),
    );
    const files = packages.map((bytes, i) => {
      const file = path.join(dir, `${i}.zip`);
      fs.writeFileSync(file, bytes);
      return file;
    });
    expect(await Promise.all(packages.map((bytes) => pool.verify(bytes)))).to.deep.equal(direct);
    expect(await Promise.all(files.map((file) => pool.verify(file)))).to.deep.equal(direct);
    expect(direct.map((report) => report.passed)).to.deep.equal([true, true, true, false, true]);
  });

  it('rejects a file that cannot be read, and goes on', async () => {
    const error = await pool.verify(path.join(dir, 'missing.zip')).catch((e: unknown) => e);
    expect((error as Error).message).to.match(/ENOENT/);
    expect((await pool.verify(packages[0])).passed).to.equal(true);
  });

  it('should NOT start with a platform key that is not an Ed25519 public key', () => {
    expect(() => new VerifyPool({ size: 1, platformPublicKey: 'not a key' })).to.throw();
  });
});
