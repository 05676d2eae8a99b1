import { expect } from 'chai';
import type { Knex } from 'knex';
import { anchorMessage } from '../../server/audit/anchors';
import { AuditLog, type AuditEntry } from '../../server/audit/audit-log';
import { NotCanonicalJson } from '../../server/audit/canonical-json';
import { AUDIT_COLUMNS, GENESIS_HASH, rowHash, toAuditRow, type AuditLogRecord } from '../../server/audit/chain';
import { PlatformKey } from '../../server/audit/platform-key';
import { openDatabase } from '../../server/db';
import { createLogger } from '../../server/log';
import { onPostgres } from '../support/database';
import { startTestServer, type TestServer } from '../support/server';

const ANCHOR_EVERY = 5;

describe('audit log: hash chain and signed anchors', () => {
  let server: TestServer;
  let audit: AuditLog;
  let knex: Knex;
  before(async () => {
    server = await startTestServer({ auditAnchorEvery: ANCHOR_EVERY });
    audit = server.running.platform.audit;
    knex = server.running.platform.db.knex;
  });
  after(() => server?.close());

  /** What a database administrator can do: the append-only triggers are off for this transaction only. */
  const asDba = (run: (trx: Knex.Transaction) => Promise<unknown>) =>
    knex.transaction(async (trx) => {
      await trx.raw('set local session_replication_role = replica');
      await run(trx);
    });

  beforeEach(() => asDba((trx) => trx.raw('truncate audit_log, audit_anchors, audit_inbox')));

  const entry = (i: number): AuditEntry => ({
    actor: 'clerk.health',
    action: 'task.completed',
    entityType: 'task',
    entityId: `task-${i}`,
    data: { i, decision: 'approve' },
  });
  async function appendMany(count: number): Promise<void> {
    for (let i = 1; i <= count; i++) await audit.append(entry(i));
  }
  const readRows = async (db: Knex = knex) =>
    (
      (await db('audit_log')
        .select(...AUDIT_COLUMNS)
        .orderBy('seq')) as AuditLogRecord[]
    ).map(toAuditRow);
  const anchorSeqs = async () => (await knex('audit_anchors').select('seq').orderBy('seq')).map((a: { seq: unknown }) => String(a.seq));

  it('verifies an empty log: ok, 0 rows', async () => {
    expect(await audit.verify()).to.deep.equal({ ok: true, rows: 0, anchors: { checked: 0, failures: [] } });
  });

  it('chains 20 appends from the genesis hash, seq 1 to 20, and verifies them', async () => {
    await appendMany(20);
    const rows = await readRows();
    expect(rows.map((r) => r.seq)).to.deep.equal(Array.from({ length: 20 }, (_, i) => String(i + 1)));
    expect(rows.map((r) => r.entityId)).to.deep.equal(Array.from({ length: 20 }, (_, i) => `task-${i + 1}`));
    expect(rows[0].prevHash).to.equal(GENESIS_HASH);
    for (let i = 1; i < rows.length; i++) expect(rows[i].prevHash).to.equal(rows[i - 1].hash);
    expect(await audit.verify()).to.include({ ok: true, rows: 20 });
  });

  it('takes the time of a row from the platform clock', async () => {
    server.clock.advance(24 * 3600 * 1000);
    const before = server.clock.now().getTime();
    await audit.append(entry(1));
    const after = server.clock.now().getTime();
    const at = Date.parse((await readRows())[0].at);
    expect(at).to.be.within(before, after);
    expect(at - Date.now()).to.be.greaterThan(23 * 3600 * 1000);
  });

  it('stores data that hashes the same after jsonb: Chinese text, nesting, numbers, booleans, null, Dates', async () => {
    const data = {
      申请人: { 姓名: '张三', 地址: '北京市东城区', 证件: ['身份证', { 号码: '110101199003076578' }] },
      amounts: [1.5, 10000000000, 0, -3, 1e21, 0.1],
      flags: { yes: true, no: false, none: null },
      empty: { list: [], object: {} },
      quote: 'say "hi"\n\ttab 😀',
      when: new Date(Date.UTC(2026, 10, 22, 8, 0, 0, 123)),
      skipped: undefined,
    };
    await audit.append({ actor: 'applicant1', action: 'application.submitted', entityType: 'application', entityId: 'app-1', data });
    const [row] = await audit.extract('application', 'app-1');
    const { skipped: _skipped, ...stored } = { ...data, when: '2026-11-22T08:00:00.123Z' };
    expect(row.data).to.deep.equal(stored);
    expect(await audit.verify()).to.include({ ok: true, rows: 1 });
  });

  it('refuses data that would not come back from jsonb the same, and writes nothing', async () => {
    const bad: Record<string, unknown>[] = [{ score: NaN }, { list: [1, undefined] }, { map: new Map() }, { text: 'a\u0000b' }];
    for (const data of bad) {
      let error: unknown;
      await audit.append({ actor: 'x', action: 'y', entityType: 'z', data }).catch((e) => (error = e));
      expect(error, JSON.stringify(Object.keys(data))).to.be.instanceOf(NotCanonicalJson);
      expect((error as NotCanonicalJson).path).to.match(/^data\./);
    }
    let missing: unknown;
    await audit.append({ actor: '', action: 'y', entityType: 'z' }).catch((e) => (missing = e));
    expect(missing).to.be.instanceOf(TypeError);
    expect(await readRows()).to.have.length(0);
  });

  const edits: [string, string][] = [
    ['data', `data = jsonb_set(data, '{decision}', '"reject"')`],
    ['actor', `actor = 'admin'`],
    ['action', `action = 'task.claimed'`],
    ['at', `at = at + interval '1 second'`],
    ['entity_type', `entity_type = 'license'`],
    ['entity_id', `entity_id = null`],
    ['hash', `hash = repeat('a', 64)`],
    ['prev_hash', `prev_hash = repeat('0', 64)`],
  ];
  for (const [column, set] of edits) {
    it(`names the row whose ${column} was edited with SQL`, async () => {
      await appendMany(20);
      await asDba((trx) => trx.raw(`update audit_log set ${set} where seq = 7`));
      const result = await audit.verify();
      expect(result).to.include({ ok: false, rows: 20, firstBrokenSeq: '7' });
      expect(result.reason).to.match(/^row 7: /);
    });
  }

  it('names a deleted middle row', async () => {
    await appendMany(20);
    await asDba((trx) => trx('audit_log').where({ seq: 7 }).delete());
    const result = await audit.verify();
    expect(result).to.include({ ok: false, rows: 19, firstBrokenSeq: '7' });
    expect(result.reason).to.contain('row 7 is missing');
  });

  it('finds a break past the first page, reading in pages', async () => {
    await appendMany(20);
    const paged = new AuditLog({
      knex,
      clock: server.clock,
      platformKey: server.running.platform.platformKey,
      anchorEvery: 0,
      log: createLogger('silent'),
      pageSize: 7,
    });
    try {
      expect(await paged.verify()).to.deep.include({ ok: true, rows: 20, anchors: { checked: 4, failures: [] } });
      await asDba((trx) => trx.raw(`update audit_log set data = '{"i": 0}' where seq = 15`));
      expect(await paged.verify()).to.include({ ok: false, rows: 20, firstBrokenSeq: '15' });
    } finally {
      await paged.close();
    }
  });

  it('gives 100 concurrent appends seq 1 to 100, one chain with no fork', async () => {
    await Promise.all(Array.from({ length: 100 }, (_, i) => audit.append(entry(i + 1))));
    const rows = await readRows();
    expect(rows.map((r) => Number(r.seq))).to.deep.equal(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(rows.map((r) => r.data.i).sort((a, b) => Number(a) - Number(b))).to.deep.equal(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(new Set(rows.map((r) => r.prevHash)).size, 'every prev_hash used once').to.equal(100);
    expect(await audit.verify()).to.deep.equal({ ok: true, rows: 100, anchors: { checked: 100 / ANCHOR_EVERY, failures: [] } });
  });

  (onPostgres() ? it : it.skip)('keeps one chain when two platform instances append at once (PostgreSQL)', async () => {
    const second = await openDatabase({ databaseUrl: server.database.databaseUrl, dataDir: server.database.dataDir });
    try {
      const other = new AuditLog({
        knex: second.knex,
        clock: server.clock,
        platformKey: server.running.platform.platformKey,
        anchorEvery: ANCHOR_EVERY,
        log: createLogger('silent'),
      });
      await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? audit : other).append(entry(i + 1))));
      await other.close();
    } finally {
      await second.close();
    }
    expect(await audit.verify()).to.deep.equal({ ok: true, rows: 60, anchors: { checked: 60 / ANCHOR_EVERY, failures: [] } });
  });

  it('leaves no row, no anchor and no gap when the transaction of an append rolls back', async () => {
    await appendMany(ANCHOR_EVERY - 1);
    const rolledBack = knex.transaction(async (trx) => {
      await audit.append(entry(99), trx);
      expect(await trx('audit_inbox').pluck('entity_id'), 'waiting in the same transaction').to.deep.equal(['task-99']);
      throw new Error('the state change failed');
    });
    expect(
      await rolledBack.then(
        () => 'committed',
        (e: Error) => e.message,
      ),
    ).to.equal('the state change failed');
    await audit.flush();
    expect(await readRows()).to.have.length(ANCHOR_EVERY - 1);
    expect(await knex('audit_inbox').select('id')).to.deep.equal([]);
    expect(await anchorSeqs()).to.deep.equal([]);
    await audit.append(entry(100));
    expect((await readRows()).map((r) => [r.seq, r.data.i])).to.deep.include([String(ANCHOR_EVERY), 100]);
    expect(await anchorSeqs()).to.deep.equal([String(ANCHOR_EVERY)]);
    expect(await audit.verify()).to.include({ ok: true, rows: ANCHOR_EVERY });
  });

  it('commits the row with the change it records, in the caller’s transaction', async () => {
    await knex.transaction(async (trx) => {
      await audit.append(entry(1), trx);
      await audit.append(entry(2), trx);
      expect(await trx('audit_inbox').orderBy('id').pluck('entity_id')).to.deep.equal(['task-1', 'task-2']);
    });
    await audit.flush();
    expect((await readRows()).map((r) => r.entityId)).to.deep.equal(['task-1', 'task-2']);
    expect(await audit.verify()).to.include({ ok: true, rows: 2 });
  });

  it('should NOT chain anything once closed (a chaining it had scheduled is dropped)', async () => {
    const everyRow = new AuditLog({
      knex,
      clock: server.clock,
      platformKey: server.running.platform.platformKey,
      anchorEvery: 1,
      log: createLogger('silent'),
    });
    await everyRow.close();
    const committed = { actor: 'clerk.health', action: 'task.completed', entity_type: 'task', at: '2026-12-01T08:00:00.000Z' };
    await knex('audit_inbox').insert([1, 2, 3].map((i) => ({ ...committed, entity_id: `task-${i}`, data: `{"i":${i}}` })));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await audit.flush();
    expect((await readRows()).map((r) => r.entityId)).to.deep.equal(['task-1', 'task-2', 'task-3']);
    expect(await anchorSeqs(), 'anchors of the closed log, which signs every row').to.deep.equal([]);
  });

  it('chains at start the entries a killed process committed and never chained', async () => {
    await appendMany(3);
    const committed = { actor: 'clerk.health', action: 'task.completed', entity_type: 'task', data: '{"i":4}' };
    await knex('audit_inbox').insert([
      { ...committed, at: '2026-12-01T08:00:00.000Z', entity_id: 'task-4' },
      { ...committed, at: '2026-12-01T08:00:00.001Z', entity_id: 'task-5', data: '{"i":5}' },
    ]);
    const restarted = new AuditLog({
      knex,
      clock: server.clock,
      platformKey: server.running.platform.platformKey,
      anchorEvery: ANCHOR_EVERY,
      log: createLogger('silent'),
    });
    await restarted.close();
    expect((await readRows()).map((r) => `${r.seq}:${r.entityId}:${r.at}`).slice(3)).to.deep.equal([
      '4:task-4:2026-12-01T08:00:00.000Z',
      '5:task-5:2026-12-01T08:00:00.001Z',
    ]);
    expect(await knex('audit_inbox').select('id')).to.deep.equal([]);
    expect(await audit.verify()).to.deep.equal({ ok: true, rows: 5, anchors: { checked: 1, failures: [] } });
  });

  it(`signs the head every ${ANCHOR_EVERY} rows, with the platform key`, async () => {
    await appendMany(12);
    expect(await anchorSeqs()).to.deep.equal(['5', '10']);
    const rows = await readRows();
    const key = server.running.platform.platformKey;
    for (const record of await knex('audit_anchors').select('*')) {
      const anchor = { seq: String(record.seq), hash: record.hash, signedAt: new Date(record.signed_at).toISOString() };
      expect(anchor.hash).to.equal(rows[Number(anchor.seq) - 1].hash);
      expect(record.key_id).to.equal(key.keyId);
      expect(key.verify(anchorMessage(anchor), record.signature)).to.equal(true);
    }
    expect((await audit.verify()).anchors).to.deep.equal({ checked: 2, failures: [] });
  });

  it('catches a rewrite of a row with every later hash recomputed, by the anchors', async () => {
    await appendMany(12);
    await asDba(async (trx) => {
      let prevHash = GENESIS_HASH;
      for (const row of await readRows(trx)) {
        if (row.seq === '3') row.data = { ...row.data, decision: 'reject' };
        const hash = rowHash(prevHash, row);
        await trx('audit_log')
          .where({ seq: row.seq })
          .update({ data: JSON.stringify(row.data), prev_hash: prevHash, hash });
        prevHash = hash;
      }
    });
    const result = await audit.verify();
    expect(result.firstBrokenSeq, 'the chain itself recomputes').to.equal(undefined);
    expect(result.ok).to.equal(false);
    expect(result.anchors.failures.map((f) => f.seq)).to.deep.equal(['5', '10']);
    expect(result.anchors.failures[0].reason).to.contain('rewritten');
    expect(result.reason).to.match(/^anchor at seq 5: /);
  });

  it('cannot see a consistent rewrite after the last anchor, which is why the head is also signed on demand', async () => {
    await appendMany(7);
    await asDba(async (trx) => {
      const [row] = (await readRows(trx)).slice(-1);
      row.data = { forged: true };
      await trx('audit_log')
        .where({ seq: row.seq })
        .update({ data: JSON.stringify(row.data), hash: rowHash(row.prevHash, row) });
    });
    expect(await audit.verify()).to.include({ ok: true });
  });

  it('catches a deleted last row that an anchor had signed', async () => {
    await appendMany(10);
    await asDba((trx) => trx('audit_log').where({ seq: 10 }).delete());
    const result = await audit.verify();
    expect(result).to.include({ ok: false, rows: 9 });
    expect(result.firstBrokenSeq).to.equal(undefined);
    expect(result.anchors.failures).to.have.length(1);
    expect(result.anchors.failures[0]).to.include({ seq: '10' });
    expect(result.anchors.failures[0].reason).to.contain('beyond the end of the chain');
  });

  it('catches a tampered anchor signature', async () => {
    await appendMany(10);
    await asDba((trx) =>
      trx.raw(`update audit_anchors set signature = translate(signature, 'ABCDEFGHabcdefgh', 'BCDEFGHAbcdefgha') where seq = 5`),
    );
    const result = await audit.verify();
    expect(result.ok).to.equal(false);
    expect(result.anchors.failures).to.deep.equal([{ seq: '5', reason: 'the signature does not verify with the platform key' }]);
  });

  it('catches an anchor moved to another row, and one signed with another key', async () => {
    await appendMany(10);
    const rows = await readRows();
    const other = PlatformKey.load(`${server.database.dataDir}/other-key`);
    await asDba(async (trx) => {
      await trx('audit_anchors').where({ seq: 5 }).update({ seq: 6, hash: rows[5].hash });
      const signedAt = new Date().toISOString();
      const forged = { seq: '10', hash: rows[9].hash, signedAt };
      await trx('audit_anchors')
        .where({ seq: 10 })
        .update({ signature: other.sign(anchorMessage(forged)), key_id: other.keyId, signed_at: signedAt });
    });
    const { anchors } = await audit.verify();
    expect(anchors.failures.map((f) => f.seq)).to.deep.equal(['6', '10']);
    expect(anchors.failures[0].reason).to.equal('the signature does not verify with the platform key');
    expect(anchors.failures[1].reason).to.contain(`signed with key ${other.keyId}`);
  });

  it('refuses UPDATE, DELETE and TRUNCATE of the audit tables outside a deliberate override', async () => {
    await appendMany(5);
    const refused = [
      knex('audit_log').where({ seq: 1 }).update({ actor: 'admin' }),
      knex('audit_log').where({ seq: 1 }).delete(),
      knex.raw('truncate audit_log'),
      knex('audit_anchors').where({ seq: 5 }).update({ signature: 'x' }),
      knex('audit_anchors').delete(),
    ];
    for (const attempt of refused) {
      let error: unknown;
      await attempt.catch((e) => (error = e));
      expect(String((error as Error)?.message)).to.match(/audit_(log|anchors) is append-only/);
    }
    expect(await audit.verify()).to.include({ ok: true, rows: 5 });
  });

  it('extracts the rows of one entity, in order', async () => {
    await audit.append({ actor: 'applicant1', action: 'application.created', entityType: 'application', entityId: 'A' });
    await audit.append({ actor: 'applicant2', action: 'application.created', entityType: 'application', entityId: 'B' });
    await audit.append({
      actor: 'clerk.health',
      action: 'task.completed',
      entityType: 'application',
      entityId: 'A',
      data: { decision: 'approve' },
    });
    const rows = await audit.extract('application', 'A');
    expect(rows.map((r) => [r.seq, r.action])).to.deep.equal([
      ['1', 'application.created'],
      ['3', 'task.completed'],
    ]);
    expect(rows[1]).to.include({ actor: 'clerk.health', entityType: 'application', entityId: 'A' });
    expect(rows[1].data).to.deep.equal({ decision: 'approve' });
    expect(rows[1].hash).to.equal(rowHash(rows[1].prevHash, rows[1]));
    expect(await audit.extract('application', 'none')).to.deep.equal([]);
  });

  describe('over HTTP', () => {
    it('GET /api/v1/audit/verify answers {ok, rows, anchors}, and names the first broken row', async () => {
      const token = await server.login('admin');
      await appendMany(6);
      const good = await server.request('GET', '/api/v1/audit/verify', { token });
      expect(good.status, good.text).to.equal(200);
      expect(good.body).to.deep.equal({ ok: true, rows: 6, anchors: { checked: 1, failures: [] } });
      await asDba((trx) => trx.raw(`update audit_log set actor = 'someone' where seq = 2`));
      const bad = await server.request('GET', '/api/v1/audit/verify', { token });
      expect(bad.status).to.equal(200);
      expect(bad.body).to.deep.include({ ok: false, rows: 6, firstBrokenSeq: '2', anchors: { checked: 1, failures: [] } });
      expect(bad.body.reason).to.be.a('string');
    });

    it('POST /api/v1/audit/anchors signs the head once, and answers 409 on an empty log', async () => {
      const token = await server.login('admin');
      const empty = await server.request('POST', '/api/v1/audit/anchors', { token });
      expect(empty.status, empty.text).to.equal(409);
      expect(empty.body.error.code).to.equal('CONFLICT');

      await appendMany(7);
      const first = await server.request('POST', '/api/v1/audit/anchors', { token });
      expect(first.status, first.text).to.equal(201);
      const rows = await readRows();
      expect(first.body).to.include({ seq: '7', hash: rows[6].hash, keyId: server.running.platform.platformKey.keyId });
      expect(first.body.signedAt).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      const again = await server.request('POST', '/api/v1/audit/anchors', { token });
      expect(again.status).to.equal(201);
      expect(again.body).to.deep.equal(first.body);
      expect(await anchorSeqs()).to.deep.equal(['5', '7']);
      expect((await audit.verify()).anchors).to.deep.equal({ checked: 2, failures: [] });
    });

    it('refuses the audit operations to anyone but an administrator', async () => {
      const token = await server.login('clerk.health');
      expect((await server.request('GET', '/api/v1/audit/verify', { token })).status).to.equal(403);
      expect((await server.request('POST', '/api/v1/audit/anchors', { token })).status).to.equal(403);
      expect((await server.request('GET', '/api/v1/audit/verify')).status).to.equal(401);
    });
  });
});
