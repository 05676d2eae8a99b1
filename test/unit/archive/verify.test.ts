import { expect } from 'chai';
import { unzipSync } from 'fflate';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument, PDFName, PDFString } from 'pdf-lib';
import {
  buildArchivePackage,
  verifyArchivePackage,
  type ArchiveFailure,
  type ArchiveProperty,
  type ArchiveVerification,
  type ClosedCase,
} from '../../../workers/archive/index';
import { verifyPdf } from '../../../workers/esign/index';
import { ARCHIVED_AT, archiveKit, closedCase, signedDocuments, type ArchiveKit } from './fixtures';
import { json, repack, zip, type Unpacked } from './repack';

const LICENCE = 'documents/003-licence.pdf';
const SCAN = 'materials/002-HP-02.png';

describe('archive package verification (四性检测)', () => {
  let dir: string;
  let kit: ArchiveKit;
  let input: ClosedCase;
  let good: Buffer;
  const verify = (bytes: Uint8Array, options: { maxUncompressedBytes?: number } = {}) =>
    verifyArchivePackage(bytes, { platformPublicKey: kit.platformKey.publicKeyPem(), trustAnchors: kit.trustAnchors, ...options });
  /** Changed, rehashed and signed again with the platform key: only what the edit breaks may fail. */
  const resigned = (edit: (unpacked: Unpacked) => void) => repack(good, edit, { signer: kit.platformKey });
  const failed = (report: ArchiveVerification) =>
    Object.entries(report.properties)
      .filter(([, check]) => !check.passed)
      .map(([property]) => property);
  const failuresOf = (report: ArchiveVerification, property: ArchiveProperty) => report.properties[property].failures;
  const expectOnly = (report: ArchiveVerification, ...properties: ArchiveProperty[]) => {
    expect(report.passed).to.equal(false);
    expect(failed(report), JSON.stringify(report.properties, null, 1)).to.have.members(properties);
  };
  const expectFailure = (report: ArchiveVerification, property: ArchiveProperty, file: string | undefined, reason: RegExp) => {
    const failures = failuresOf(report, property);
    const match = failures.find((f: ArchiveFailure) => f.file === file && reason.test(f.reason));
    expect(match, `${property} ${file}: ${reason} among ${JSON.stringify(failures, null, 1)}`).to.not.equal(undefined);
  };

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'archive-verify-'));
    kit = await archiveKit(dir);
    input = closedCase(kit, await signedDocuments(kit));
    good = (await buildArchivePackage(input, { platformKey: kit.platformKey, createdAt: ARCHIVED_AT })).bytes;
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('given a package as built', () => {
    it('passes all four properties', async () => {
      const report = await verify(good);
      expect(report).to.deep.equal({
        archiveId: input.record.archiveId,
        passed: true,
        properties: {
          authenticity: { passed: true, failures: [] },
          integrity: { passed: true, failures: [] },
          usability: { passed: true, failures: [] },
          security: { passed: true, failures: [] },
        },
      });
    });

    it('passes a withdrawn case, without decision or documents', async () => {
      const withdrawn: ClosedCase = { ...input, record: { ...input.record, outcome: 'withdrawn', decidedAt: null }, documents: [] };
      const report = await verify((await buildArchivePackage(withdrawn, { platformKey: kit.platformKey, createdAt: ARCHIVED_AT })).bytes);
      expect(report.passed, JSON.stringify(report.properties)).to.equal(true);
    });

    it('accepts the platform key as a KeyObject or as a verify function', async () => {
      const keyObject = crypto.createPublicKey(kit.platformKey.publicKeyPem());
      expect((await verifyArchivePackage(good, { platformPublicKey: keyObject, trustAnchors: kit.trustAnchors })).passed).to.equal(true);
      const viaFunction = await verifyArchivePackage(good, {
        platformPublicKey: (d, s) => kit.platformKey.verify(d, s),
        trustAnchors: kit.trustAnchors,
      });
      expect(viaFunction.passed).to.equal(true);
    });

    it('should NOT accept a platform key that is not Ed25519 (a configuration mistake throws)', async () => {
      const { publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const error = await verifyArchivePackage(good, { platformPublicKey: publicKey }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(TypeError);
    });
  });

  describe('authenticity (真实性)', () => {
    it('names a material with one byte altered: its hash differs from the manifest', async () => {
      const report = await verify(
        repack(
          good,
          ({ files }) => {
            const scan = Buffer.from(files.get(SCAN)!);
            scan[scan.length - 20] ^= 0xff;
            files.set(SCAN, scan);
          },
          { rehash: false },
        ),
      );
      expectOnly(report, 'authenticity');
      expect(failuresOf(report, 'authenticity')).to.deep.equal([
        {
          property: 'authenticity',
          file: SCAN,
          reason: 'its SHA-256 differs from the manifest: it was changed after archiving (哈希值与清单不符)',
        },
      ]);
    });

    it('names a material changed inside the zip itself: its hash, and its CRC that unpackers check', async () => {
      const bytes = Buffer.from(good);
      const at = bytes.indexOf(kit.scan.subarray(100, 132)) + 20;
      bytes[at] ^= 0xff;
      const report = await verify(bytes);
      expectOnly(report, 'authenticity', 'integrity');
      expectFailure(report, 'authenticity', SCAN, /its SHA-256 differs from the manifest/);
      expectFailure(report, 'integrity', SCAN, /its CRC-32 differs from its zip header/);
    });

    it('names a signed PDF with one byte changed in its signed range, even when the manifest was rehashed and signed again', async () => {
      const report = await verify(
        resigned(({ files }) => {
          const pdf = Buffer.from(files.get(LICENCE)!);
          const [, firstLength] = verifyPdf(pdf).signatures[0].byteRange;
          pdf[Math.floor(firstLength / 2)] ^= 0x01;
          files.set(LICENCE, pdf);
        }),
      );
      expect(failed(report)).to.include('authenticity');
      expectFailure(report, 'authenticity', LICENCE, /signature .*is not valid: the document bytes do not match the signed message digest/);
    });

    it('names a signed PDF with bytes appended after its signature', async () => {
      const report = await verify(
        resigned(({ files }) => files.set(LICENCE, Buffer.concat([files.get(LICENCE)!, Buffer.from('\n% appended\n')]))),
      );
      expectOnly(report, 'authenticity');
      expectFailure(report, 'authenticity', LICENCE, /does not cover the whole document/);
    });

    it('names a signed PDF whose signer does not chain to the trust anchors', async () => {
      const { trustAnchors } = await archiveKit(path.join(dir, 'other'));
      const report = await verifyArchivePackage(good, { platformPublicKey: kit.platformKey.publicKeyPem(), trustAnchors });
      expectOnly(report, 'authenticity');
      expectFailure(report, 'authenticity', LICENCE, /not from a trusted certificate/);
    });

    it('names the manifest signature when another key signed the manifest', async () => {
      const other = crypto.generateKeyPairSync('ed25519').privateKey;
      const report = await verify(
        repack(good, () => {}, { signer: { sign: (data) => crypto.sign(null, data, other).toString('base64') } }),
      );
      expectOnly(report, 'authenticity');
      expect(failuresOf(report, 'authenticity')).to.deep.equal([
        {
          property: 'authenticity',
          file: 'manifest.sig',
          reason: "it is not the platform key's valid signature of manifest.json (清单签名无效)",
        },
      ]);
    });

    it('names a manifest changed after signing', async () => {
      const report = await verify(repack(good, ({ manifest }) => (manifest.createdAt = '2030-01-01T00:00:00.000Z'), { rehash: false }));
      expectOnly(report, 'authenticity');
      expectFailure(report, 'authenticity', 'manifest.sig', /not the platform key's valid signature/);
    });

    it('names an audit row whose data was changed, though the manifest was signed again', async () => {
      const report = await verify(
        resigned(({ files }) => {
          const rows = JSON.parse(Buffer.from(files.get('audit.json')!).toString());
          rows[2].data.decision = 'reject';
          files.set('audit.json', json(rows));
        }),
      );
      expectOnly(report, 'authenticity');
      expectFailure(report, 'authenticity', 'audit.json', /audit row seq 1043: its hash does not recompute/);
    });
  });

  describe('integrity (完整性)', () => {
    it('names a file removed from the package', async () => {
      const report = await verify(repack(good, ({ files }) => files.delete(SCAN), { rehash: false }));
      expectOnly(report, 'integrity');
      expect(failuresOf(report, 'integrity')).to.deep.equal([
        { property: 'integrity', file: SCAN, reason: 'it is listed in the manifest but missing from the package (文件缺失)' },
      ]);
    });

    const gaps: [string, (unpacked: Unpacked) => void, string, RegExp][] = [
      [
        'a material number skipped (001, 003)',
        ({ files, manifest }) => {
          files.set('materials/003-HP-02.png', files.get(SCAN)!);
          files.delete(SCAN);
          manifest.files.find((f) => f.path === SCAN)!.path = 'materials/003-HP-02.png';
        },
        'materials/',
        /the numbers of materials\/ are not 001, 002, 003… without gaps: 002 is missing/,
      ],
      [
        'a manifest sequence number skipped (…3, 5…)',
        ({ manifest }) => manifest.files.slice(3).forEach((f) => f.seq++),
        'manifest.json',
        /the manifest's sequence numbers are not 1, 2, 3… without gaps: seq 4 is missing/,
      ],
      ['a sequence number used twice', ({ manifest }) => (manifest.files[4].seq = 4), 'manifest.json', /seq 4 is used 2 times/],
    ];
    for (const [name, edit, file, reason] of gaps) {
      it(`names a gap in sequence numbers: ${name}`, async () => {
        const report = await verify(resigned(edit));
        expect(failed(report)).to.include('integrity');
        expectFailure(report, 'integrity', file, reason);
      });
    }

    it('names the case number missing from metadata.json', async () => {
      const report = await verify(
        resigned(({ files }) => {
          const { caseNumber, ...metadata } = JSON.parse(Buffer.from(files.get('metadata.json')!).toString());
          expect(caseNumber).to.be.a('string');
          files.set('metadata.json', json(metadata));
        }),
      );
      expectOnly(report, 'integrity');
      expect(failuresOf(report, 'integrity')).to.deep.equal([
        {
          property: 'integrity',
          file: 'metadata.json',
          reason: 'the case record is incomplete: caseNumber is missing or empty (缺少办件编号)',
        },
      ]);
    });

    it('names a file in the package that the manifest does not list', async () => {
      const report = await verify(repack(good, ({ files }) => files.set('notes.json', json({ note: 1 })), { rehash: false }));
      expectOnly(report, 'integrity');
      expectFailure(report, 'integrity', 'notes.json', /not listed in the manifest/);
    });

    it('names a material missing from the catalogue in metadata.json', async () => {
      const report = await verify(
        resigned(({ files }) => {
          const metadata = JSON.parse(Buffer.from(files.get('metadata.json')!).toString());
          metadata.materials.pop();
          files.set('metadata.json', json(metadata));
        }),
      );
      expectOnly(report, 'integrity');
      expectFailure(report, 'integrity', SCAN, /metadata.json's materials catalogue does not/);
    });

    it('names a manifest that does not parse', async () => {
      const files = new Map(Object.entries(unzipSync(good)));
      files.set('manifest.json', Buffer.from('{"version":1,'));
      const report = await verify(zip(files));
      expectOnly(report, 'integrity', 'authenticity');
      expectFailure(report, 'integrity', 'manifest.json', /does not parse as UTF-8 JSON/);
      expectFailure(report, 'authenticity', 'manifest.json', /without a readable manifest/);
    });
  });

  describe('usability and security (可用性, 安全性)', () => {
    const MZ = Buffer.concat([
      Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'),
      Buffer.alloc(56),
      Buffer.from('This program cannot be run in DOS mode.\r\r\n$', 'latin1'),
    ]);

    it('names an .exe renamed .png, added to the package and to the manifest: security, and usability', async () => {
      const fake = 'materials/003-HP-03.png';
      const report = await verify(
        resigned(({ files, manifest }) => {
          files.set(fake, MZ);
          manifest.files.splice(4, 0, { seq: 5, path: fake, mediaType: 'image/png', size: 0, sha256: '' });
          manifest.files.forEach((f, i) => (f.seq = i + 1));
          const metadata = JSON.parse(Buffer.from(files.get('metadata.json')!).toString());
          metadata.materials.push({ path: fake, code: 'HP-03', name: '平面图', fileName: 'plan.png', mediaType: 'image/png' });
          files.set('metadata.json', json(metadata));
        }),
      );
      expectOnly(report, 'security', 'usability');
      expectFailure(report, 'security', fake, /Windows executable \(MZ header\)/);
      expectFailure(report, 'usability', fake, /sharp cannot read it as PNG/);
    });

    it('names an unknown extension and media type', async () => {
      const report = await verify(
        resigned(({ files, manifest }) => {
          files.set('materials/003-HP-03.docx', Buffer.from('PK\x03\x04 not really', 'latin1'));
          manifest.files.push({ seq: 12, path: 'materials/003-HP-03.docx', mediaType: 'application/msword', size: 0, sha256: '' });
        }),
      );
      expectFailure(report, 'security', 'materials/003-HP-03.docx', /extension is not one of the lasting formats/);
      expectFailure(report, 'security', 'materials/003-HP-03.docx', /media type application\/msword is not one of the lasting formats/);
    });

    /** A one-page PDF with `active` added to its catalog; `objectStreams` hides the catalog in a compressed object stream. */
    async function activePdf(active: Record<string, unknown>, objectStreams: boolean): Promise<Uint8Array> {
      const document = await PDFDocument.create();
      document.addPage([200, 200]);
      for (const [key, value] of Object.entries(active)) document.catalog.set(PDFName.of(key), document.context.obj(value as never));
      return document.save({ useObjectStreams: objectStreams });
    }
    const javascript = (doc: PDFDocument) => doc.context.obj({ S: 'JavaScript', JS: PDFString.of('app.alert(1)') });

    const threats: [string, () => Promise<Uint8Array>, RegExp][] = [
      [
        '/JavaScript in an open action',
        async () => {
          const document = await PDFDocument.create();
          document.addPage([200, 200]);
          document.catalog.set(PDFName.of('OpenAction'), javascript(document));
          return document.save({ useObjectStreams: false });
        },
        /JavaScript/,
      ],
      [
        '/JavaScript hidden in a compressed object stream',
        async () => {
          const document = await PDFDocument.create();
          document.addPage([200, 200]);
          document.catalog.set(PDFName.of('OpenAction'), document.context.register(javascript(document)));
          const pdf = await document.save({ useObjectStreams: true });
          expect(Buffer.from(pdf).includes('JavaScript'), 'the name is compressed').to.equal(false);
          return pdf;
        },
        /JavaScript/,
      ],
      [
        '/JavaScript spelt with #xx escapes',
        async () => {
          const pdf = Buffer.from(await activePdf({}, false))
            .toString('latin1')
            .replace('/Type /Catalog', '/Type /Catalog /OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>');
          return Buffer.from(pdf, 'latin1');
        },
        /JavaScript/,
      ],
      ['a /Launch action', () => activePdf({ OpenAction: { S: 'Launch', F: PDFString.of('cmd.exe') } }, false), /\/Launch action/],
      [
        'an /EmbeddedFile',
        () =>
          activePdf(
            { Names: { EmbeddedFiles: { Names: [PDFString.of('x.exe'), { Type: 'Filespec', EF: { F: { Type: 'EmbeddedFile' } } }] } } },
            true,
          ),
        /embedded file/,
      ],
      [
        'encryption (/Encrypt)',
        async () => {
          const pdf = Buffer.from(await activePdf({}, false))
            .toString('latin1')
            .replace(/trailer\s*<</, 'trailer\n<<\n/Encrypt << /Filter /Standard /V 1 /R 2 >>');
          return Buffer.from(pdf, 'latin1');
        },
        /encrypted/,
      ],
    ];
    for (const [name, make, reason] of threats) {
      it(`names a PDF with ${name}`, async () => {
        const pdf = await make();
        const material = 'materials/002-HP-02.pdf';
        const report = await verify(
          resigned(({ files, manifest }) => {
            files.delete(SCAN);
            files.set(material, pdf);
            Object.assign(
              manifest.files.find((f) => f.path === SCAN)!,
              { path: material, mediaType: 'application/pdf' },
            );
            const metadata = JSON.parse(Buffer.from(files.get('metadata.json')!).toString());
            metadata.materials[1].path = material;
            files.set('metadata.json', json(metadata));
          }),
        );
        expect(failed(report)).to.include('security');
        expectFailure(report, 'security', material, reason);
      });
    }

    const slips: [string, string][] = [
      ['a ".." path', '../../home/user/.bashrc.json'],
      ['an absolute path', '/etc/cron.d/evil.json'],
      ['a backslash path', 'materials\\..\\..\\evil.json'],
    ];
    for (const [name, slip] of slips) {
      it(`names a zip-slip entry: ${name}`, async () => {
        const report = await verify(
          resigned(({ files, manifest }) => {
            files.set(slip, json({ evil: true }));
            manifest.files.push({ seq: 12, path: slip, mediaType: 'application/json', size: 0, sha256: '' });
          }),
        );
        expectFailure(report, 'security', slip, /zip-slip/);
        expectFailure(report, 'security', slip, /the manifest lists a path that escapes the package/);
      });
    }

    it('names an entry whose local header gives another name than the central directory', async () => {
      const bytes = Buffer.from(good);
      const local = bytes.indexOf('PK\x03\x04', 0, 'latin1');
      expect(bytes.toString('latin1', local + 30, local + 40)).to.equal('audit.json');
      bytes.write('../ab.json', local + 30, 'latin1');
      const report = await verify(bytes);
      expectFailure(report, 'security', 'audit.json', /its local header names it "\.\.\/ab\.json": unpackers would disagree/);
    });

    it('names two entries of the same name', async () => {
      const bytes = Buffer.from(
        zip(
          new Map([
            ['audit.json', json([])],
            ['audiX.json', json({})],
          ]),
        ),
      );
      for (let at = bytes.indexOf('audiX.json'); at >= 0; at = bytes.indexOf('audiX.json', at + 1)) bytes.write('audit.json', at, 'latin1');
      const report = await verify(bytes);
      expectFailure(report, 'security', 'audit.json', /two entries of this name/);
    });

    it('stops unpacking past the size limit (zip bomb)', async () => {
      const report = await verify(good, { maxUncompressedBytes: 10_000 });
      expectFailure(report, 'security', 'documents/001-acceptance-notice.pdf', /zip bomb/);
    });
  });

  describe('a package that is not a zip', () => {
    const corrupt: [string, () => Uint8Array][] = [
      ['random bytes', () => crypto.randomBytes(4096)],
      ['nothing', () => new Uint8Array(0)],
      ['the first half of a package', () => good.subarray(0, Math.floor(good.length / 2))],
      [
        'a package with its central directory overwritten',
        () => {
          const bytes = Buffer.from(good);
          bytes.fill(0xa5, bytes.lastIndexOf('PK\x01\x02', undefined, 'latin1') - 200, bytes.length - 22);
          return bytes;
        },
      ],
    ];
    for (const [name, bytes] of corrupt) {
      it(`fails all four properties for ${name}, without throwing`, async () => {
        const report = await verify(bytes());
        expect(report.passed).to.equal(false);
        expect(report.archiveId).to.equal(null);
        expect(failed(report)).to.have.members(['authenticity', 'integrity', 'usability', 'security']);
        expect(report.properties.integrity.failures[0].reason).to.match(/^the package is not a readable zip/);
      });
    }
  });
});
