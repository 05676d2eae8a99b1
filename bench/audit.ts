/**
 * Audit log figures: sequential appends per second (each chained before the next), appends per second from 32
 * callers at once, each in its own transaction as the platform appends (until all are chained), and rows verified
 * per second over a long chain. Uses DATABASE_URL, else the local PostgreSQL when it answers, else PGlite; makes and drops a database of its own.
 * BENCH_APPENDS (default 2000) and BENCH_ROWS (default 100000) set the sizes.
 */
import path from 'node:path';
import type { Knex } from 'knex';
import { AuditLog } from '../server/audit/audit-log';
import { canonicalJson } from '../server/audit/canonical-json';
import { rowHash } from '../server/audit/chain';
import { PlatformKey } from '../server/audit/platform-key';
import { systemClock } from '../server/clock';
import { openDatabase } from '../server/db';
import { createLogger } from '../server/log';
import { migrate } from '../server/migrate';
import { benchDatabase } from './support';

const appends = Number(process.env.BENCH_APPENDS || 2000);
const rows = Number(process.env.BENCH_ROWS || 100_000);
const INSERT_BATCH = 1000;

const entry = (i: number) => ({
  actor: 'clerk.health',
  action: 'task.completed',
  entityType: 'task',
  entityId: `task-${i}`,
  data: { decision: 'approve', comment: '材料齐全，同意', review: { points: [1, 2, 3], passed: true } },
});

/** Extends the chain with correctly hashed rows in bulk: verify needs a long chain, not a long wait for one. */
async function extendChain(knex: Knex, count: number): Promise<void> {
  const head = await knex('audit_log').select('seq', 'hash').orderBy('seq', 'desc').first();
  let seq = BigInt(head.seq);
  let prevHash: string = head.hash;
  for (let done = 0; done < count;) {
    const batch = [];
    for (; batch.length < INSERT_BATCH && done < count; done++) {
      seq++;
      const { data, ...rest } = entry(Number(seq));
      const fields = { ...rest, data, seq: String(seq), at: new Date().toISOString() };
      const hash = rowHash(prevHash, fields);
      batch.push({
        seq: fields.seq,
        at: fields.at,
        actor: rest.actor,
        action: rest.action,
        entity_type: rest.entityType,
        entity_id: rest.entityId,
        data: canonicalJson(data),
        prev_hash: prevHash,
        hash,
      });
      prevHash = hash;
    }
    await knex('audit_log').insert(batch);
  }
}

const database = await benchDatabase();
const db = await openDatabase({ databaseUrl: database.databaseUrl, dataDir: database.dataDir });
try {
  await migrate(db.knex);
  const audit = new AuditLog({
    knex: db.knex,
    clock: systemClock,
    platformKey: PlatformKey.load(path.join(database.dataDir, 'keys')),
    anchorEvery: 1000,
    log: createLogger('silent'),
  });

  const appendStart = performance.now();
  for (let i = 1; i <= appends; i++) await audit.append(entry(i));
  const appendSeconds = (performance.now() - appendStart) / 1000;

  const CALLERS = 32;
  const concurrentStart = performance.now();
  await Promise.all(
    Array.from({ length: CALLERS }, async (_, caller) => {
      for (let i = caller; i < appends; i += CALLERS) await db.knex.transaction((trx) => audit.append(entry(appends + i), trx));
    }),
  );
  await audit.flush();
  const concurrentSeconds = (performance.now() - concurrentStart) / 1000;

  await extendChain(db.knex, Math.max(0, rows - 2 * appends));
  const verifyStart = performance.now();
  const result = await audit.verify();
  const verifySeconds = (performance.now() - verifyStart) / 1000;
  if (!result.ok) throw new Error(`the benchmark chain does not verify: ${result.reason}`);
  await audit.close();

  process.stdout.write(
    JSON.stringify({
      appendsPerSecond: Math.round(appends / appendSeconds),
      concurrentAppendsPerSecond: Math.round(appends / concurrentSeconds),
      verifyRowsPerSecond: Math.round(result.rows / verifySeconds),
      db: db.kind,
      appends,
      verifiedRows: result.rows,
      anchorsChecked: result.anchors.checked,
    }) + '\n',
  );
} finally {
  await db.close();
  await database.drop();
}
