/**
 * `npm run archive:verify -- <applicationId | --all>`: the four-property check of the kept archive packages, from
 * the command line. It opens the platform's database itself, so it refuses (like a second server would) to open a
 * PGlite directory a running server holds: use `POST /api/v1/archives/verify` then.
 */
import path from 'node:path';
import { loadConfig } from '../server/config';
import { openDatabase } from '../server/db';
import { PlatformKey } from '../server/audit/platform-key';
import { verifyArchives } from '../server/archiving/verify-archives';
import { FileStorage } from '../server/storage';
import { createKeyStore } from '../workers/esign/index';

const target = process.argv[2];
if (!target) {
  console.error('usage: npm run archive:verify -- <applicationId | --all>');
  process.exit(2);
}
const config = loadConfig();
let db;
try {
  db = await openDatabase(config);
} catch (error) {
  console.error(`archive:verify: ${(error as Error).message}`);
  process.exit(2);
}
try {
  const result = await verifyArchives(
    {
      knex: db.knex,
      storage: new FileStorage(path.join(config.dataDir, 'files'), config.uploadLimitBytes),
      platformKey: PlatformKey.load(path.join(config.dataDir, 'keys')),
      keyStore: createKeyStore({ devCaDir: config.signingCaDir }),
    },
    target === '--all' ? undefined : target,
  );
  for (const f of result.failures)
    console.log(`FAIL ${f.archiveId} (${f.applicationId}) ${f.property}${f.file ? ` ${f.file}` : ''}: ${f.reason}`);
  console.log(JSON.stringify({ checked: result.checked, passed: result.passed, failures: result.failures.length }));
  process.exitCode = result.failures.length ? 1 : 0;
} catch (error) {
  console.error(`archive:verify: ${(error as Error).message}`);
  process.exitCode = 2;
} finally {
  await db.close();
}
