import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import { FileStorage } from '../../../server/storage';

describe('storage port (files by SHA-256)', () => {
  let root: string;
  let storage: FileStorage;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'approvals-storage-'));
    storage = new FileStorage(root, 1024);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

  it('stores bytes under their SHA-256, reads them back, and stores the same bytes once', async () => {
    const bytes = Buffer.from('营业执照 91110000600037341L');
    const first = await storage.put(bytes);
    expect(first).to.deep.equal({ sha256: sha(bytes), size: bytes.length });
    expect(await storage.has(first.sha256)).to.equal(true);
    expect((await storage.get(first.sha256)).equals(bytes)).to.equal(true);
    const again = await storage.put(Readable.from([bytes.subarray(0, 5), bytes.subarray(5)]));
    expect(again.sha256).to.equal(first.sha256);
    const stored = fs.readdirSync(path.join(root, first.sha256.slice(0, 2), first.sha256.slice(2, 4)));
    expect(stored).to.deep.equal([first.sha256]);
  });

  it('refuses a file over the limit with 413, leaving no file and no temp file behind', async () => {
    const big = Buffer.alloc(2048, 1);
    const error = await storage.put(big).catch((e) => e);
    expect(error.status).to.equal(413);
    expect(await storage.has(sha(big))).to.equal(false);
    expect(fs.readdirSync(path.join(root, 'tmp'))).to.deep.equal([]);
    const allowed = await storage.put(big, { maxBytes: 4096 });
    expect(allowed.size).to.equal(2048);
  });

  it('answers 404 for an unknown file and 400 for an id that is not a SHA-256', async () => {
    expect((await storage.get('0'.repeat(64)).catch((e) => e)).status).to.equal(404);
    expect((await storage.get('../../etc/passwd').catch((e) => e)).status).to.equal(400);
  });

  it('should NOT leave a half-written file when the source fails mid-way', async () => {
    const failing = new Readable({
      read() {
        this.push(Buffer.from('part'));
        this.destroy(new Error('connection reset'));
      },
    });
    const error = await storage.put(failing).catch((e) => e);
    expect(error.message).to.contain('connection reset');
    expect(fs.readdirSync(path.join(root, 'tmp'))).to.deep.equal([]);
    expect(fs.readdirSync(root)).to.deep.equal(['tmp']);
  });
});
