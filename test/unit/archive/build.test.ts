import { expect } from 'chai';
import { unzipSync } from 'fflate';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { canonicalJson } from '../../../server/audit/canonical-json';
import { ArchiveError, buildArchivePackage, type ClosedCase } from '../../../workers/archive/index';
import { ARCHIVED_AT, archiveKit, closedCase, signedDocuments, type ArchiveKit } from './fixtures';

describe('archive package building', () => {
  let dir: string;
  let kit: ArchiveKit;
  let input: ClosedCase;
  const build = (closed = input) => buildArchivePackage(closed, { platformKey: kit.platformKey, createdAt: ARCHIVED_AT });

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'archive-build-'));
    kit = await archiveKit(dir);
    input = closedCase(kit, await signedDocuments(kit));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lays the case out as GB/T 42727 asks: metadata, form, numbered materials, JSON parts, numbered documents, audit, signed manifest', async () => {
    const { bytes, manifest, archiveId } = await build();
    expect(archiveId).to.equal(input.record.archiveId);
    expect(Object.keys(unzipSync(bytes))).to.deep.equal([
      'audit.json',
      'decisions.json',
      'documents/001-acceptance-notice.pdf',
      'documents/002-decision.pdf',
      'documents/003-licence.pdf',
      'findings.json',
      'form.json',
      'manifest.json',
      'manifest.sig',
      'materials/001-HP-01.jpg',
      'materials/002-HP-02.png',
      'metadata.json',
      'ocr.json',
    ]);
    expect(manifest.files.map((f) => [f.seq, f.path, f.mediaType])).to.deep.equal([
      [1, 'metadata.json', 'application/json'],
      [2, 'form.json', 'application/json'],
      [3, 'materials/001-HP-01.jpg', 'image/jpeg'],
      [4, 'materials/002-HP-02.png', 'image/png'],
      [5, 'ocr.json', 'application/json'],
      [6, 'findings.json', 'application/json'],
      [7, 'decisions.json', 'application/json'],
      [8, 'documents/001-acceptance-notice.pdf', 'application/pdf'],
      [9, 'documents/002-decision.pdf', 'application/pdf'],
      [10, 'documents/003-licence.pdf', 'application/pdf'],
      [11, 'audit.json', 'application/json'],
    ]);
    expect(manifest).to.include({ version: 1, archiveId: input.record.archiveId, createdAt: ARCHIVED_AT.toISOString() });
  });

  it('hashes every file, metadata.json also in metadataSha256, and signs the canonical manifest with the platform key', async () => {
    const { bytes, manifest } = await build();
    const files = unzipSync(bytes);
    for (const file of manifest.files) {
      expect(crypto.createHash('sha256').update(files[file.path]).digest('hex'), file.path).to.equal(file.sha256);
      expect(files[file.path].length).to.equal(file.size);
    }
    expect(manifest.metadataSha256).to.equal(manifest.files[0].sha256);
    const signed = Buffer.from(canonicalJson(manifest));
    expect(Buffer.from(files['manifest.json']).equals(signed)).to.equal(true);
    expect(kit.platformKey.verify(signed, Buffer.from(files['manifest.sig']).toString())).to.equal(true);
  });

  it('writes the record and a catalogue of materials and documents into metadata.json', async () => {
    const metadata = JSON.parse(Buffer.from(unzipSync((await build()).bytes)['metadata.json']).toString());
    expect(metadata).to.deep.include({ caseNumber: input.record.caseNumber, retention: '30年', year: 2026, outcome: 'approved' });
    expect(metadata.materials[1]).to.deep.equal({
      path: 'materials/002-HP-02.png',
      code: 'HP-02',
      name: '卫生检测报告',
      fileName: 'report.png',
      mediaType: 'image/png',
    });
    expect(metadata.documents.map((d: { path: string }) => d.path)).to.have.length(3);
  });

  it('gives the same bytes for the same case, time and key', async () => {
    const [first, second] = await Promise.all([build(), build()]);
    expect(first.bytes.equals(second.bytes)).to.equal(true);
  });

  it('should NOT package a case whose record is incomplete or whose files are not what they say, and names every problem', async () => {
    const broken: ClosedCase = {
      ...input,
      record: { ...input.record, caseNumber: '', retention: '很久' },
      materials: [
        { ...input.materials[0], mediaType: 'image/png' },
        { ...input.materials[1], code: '../etc', mediaType: 'application/msword' },
      ],
    };
    const error = await build(broken).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(ArchiveError);
    const { code, problems } = error as ArchiveError;
    expect(code).to.equal('ARCHIVE_INPUT_INVALID');
    expect(problems).to.have.length(5);
    expect(problems.join('\n'))
      .to.include('caseNumber is missing')
      .and.include('retention "很久"')
      .and.include('the bytes are not image/png');
    expect(problems.join('\n')).to.include('the code may hold only').and.include('application/msword is not a lasting format');
  });
});
