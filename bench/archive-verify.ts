import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { HEALTH, hygienePermit, verifyUrl, CREATED_AT } from '../test/unit/esign/fixtures';
import { ARCHIVED_AT, archiveKit, closedCase } from '../test/unit/archive/fixtures';
import { buildArchivePackage, verifyArchivePackage, VerifyPool, type ArchiveVerification } from '../workers/archive/index';
import { renderLicense, signPdf } from '../workers/esign/index';
import { round, rssSampler } from './support';

/**
 * The four-property check over many archive packages, as a periodic re-check of the archive store would run it.
 * Builds N packages into a temporary folder (each: a licence PDF signed for it, a JPEG photo and a PNG scan, the JSON
 * parts), then verifies every one from its file and prints one JSON line. Every PDF is verified in full: each package's
 * licence is signed at its own time, so no two are the same bytes.
 *   --packages N   (default 10000)    --threads T   (default: the cores; 0 verifies in this thread, for --cpu-prof)
 */
const { values } = parseArgs({
  options: { packages: { type: 'string', default: '10000' }, threads: { type: 'string', default: String(os.availableParallelism()) } },
});
const n = Number(values.packages);
const threads = Number(values.threads);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'archive-bench-'));
const peakRss = rssSampler();
try {
  const kit = await archiveKit(dir);
  const licence = await renderLicense(hygienePermit(), { verifyUrl: verifyUrl('bench'), createdAt: CREATED_AT });
  const firstSigning = Math.ceil(Date.now() / 1000) * 1000;
  const files: string[] = [];
  let bytes = 0;
  const buildStart = performance.now();
  for (let i = 0; i < n; i++) {
    const signed = await signPdf(licence, kit.signer, {
      reason: '颁发电子证照',
      location: HEALTH.name,
      signingTime: new Date(firstSigning + i * 1000),
    });
    const input = closedCase(kit, [{ kind: 'licence', fileName: '公共场所卫生许可证.pdf', bytes: signed }], i + 1);
    const built = await buildArchivePackage(input, { platformKey: kit.platformKey, createdAt: ARCHIVED_AT });
    const file = path.join(dir, `${String(i).padStart(6, '0')}.zip`);
    fs.writeFileSync(file, built.bytes);
    files.push(file);
    bytes += built.bytes.length;
  }
  const buildSeconds = (performance.now() - buildStart) / 1000;

  const options = { platformPublicKey: kit.platformKey.publicKeyPem(), trustAnchors: kit.trustAnchors };
  const pool = threads > 0 ? new VerifyPool({ ...options, size: threads }) : undefined;
  let reports: ArchiveVerification[];
  const verifyStart = performance.now();
  if (pool) reports = await Promise.all(files.map((file) => pool.verify(file)));
  else {
    reports = [];
    for (const file of files) reports.push(await verifyArchivePackage(fs.readFileSync(file), options));
  }
  const verifySeconds = (performance.now() - verifyStart) / 1000;
  await pool?.close();
  const failed = reports.filter((report) => !report.passed);
  if (failed.length) throw new Error(`${failed.length} benchmark packages do not pass: ${JSON.stringify(failed[0].properties)}`);

  process.stdout.write(
    JSON.stringify({
      packages: n,
      threads,
      verifySeconds: round(verifySeconds, 2),
      packagesPerSecond: round(n / verifySeconds),
      megabytes: round(bytes / 1024 / 1024),
      packageKb: round(bytes / n / 1024),
      buildSeconds: round(buildSeconds, 1),
      peakRssMb: peakRss(),
    }) + '\n',
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
