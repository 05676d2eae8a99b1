import type { Knex } from 'knex';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import { signAnchor, type AuditAnchor } from './anchors';
import { canonicalJson } from './canonical-json';
import { AUDIT_COLUMNS, GENESIS_HASH, rowHash, toAuditRow, type AuditLogRecord, type AuditRow } from './chain';
import type { PlatformKey } from './platform-key';
import { verifyChain, type AuditVerification } from './verify-chain';

export type { AuditAnchor } from './anchors';
export type { AuditRow } from './chain';
export type { AuditVerification } from './verify-chain';

export interface AuditEntry {
  actor: string;
  action: string;
  entityType: string;
  entityId?: string | null;
  /** Any JSON that survives jsonb unchanged (see canonical-json.ts); Dates become ISO strings. */
  data?: Record<string, unknown>;
}

export interface AuditLogOptions {
  knex: Knex;
  clock: Clock;
  platformKey: PlatformKey;
  /** Sign the head whenever an append makes seq a multiple of this; 0 signs only on demand. */
  anchorEvery: number;
  log: Logger;
  /** Rows read per query by verify(). */
  pageSize?: number;
}

// One transaction-scoped advisory lock ("auditlog" in ASCII) orders every chaining and anchor.
const CHAIN_LOCK = 'select pg_advisory_xact_lock(7022364614264186727)';
const HEAD = 'select seq, hash from audit_log order by seq desc limit 1';
const VERIFY_PAGE_SIZE = 5000;
/** Inbox rows chained per transaction. */
const CHAIN_BATCH = 500;
/** How often the inbox is looked at when nothing said it has rows (a row committed by another process). */
const CHAIN_EVERY_MS = 1000;
/** How long a commit's entries wait for others to share their chaining: one transaction for a burst, not one each. */
const CHAIN_AFTER_MS = 20;

/**
 * The append-only, hash-chained audit log (`audit_log`) and its signed anchors (`audit_anchors`).
 *
 * An append writes its entry to `audit_inbox` in the caller's transaction, so it commits or rolls back with the
 * change it records, and takes no lock: appends from many transactions go on at once. A chainer then moves the
 * committed entries into the chain in batches, under one lock (one chainer at a time, across processes): seq is
 * the last seq + 1, gapless, and each hash covers the previous one. Entries wait milliseconds; every read of the
 * log through this class (verify, extract, anchor) chains what is waiting first, and `flush()` does it on demand.
 * Entries left in the inbox by a killed process are chained at the next start.
 */
export class AuditLog {
  private chaining: Promise<void> = Promise.resolve();
  private scheduled: NodeJS.Timeout | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: AuditLogOptions) {
    this.timer = setInterval(() => this.soon(), CHAIN_EVERY_MS);
    this.timer.unref();
    this.soon();
  }

  /**
   * Records one entry: inside `trx` when given, so it commits or rolls back with the change it records; it is
   * chained once that transaction has committed. Without `trx`, it is chained before this returns.
   */
  async append(entry: AuditEntry, trx?: Knex.Transaction): Promise<void> {
    const row = this.inboxRow(entry);
    if (!trx) {
      await this.options.knex('audit_inbox').insert(row);
      await this.flush();
      return;
    }
    await trx('audit_inbox').insert(row);
    trx.executionPromise?.then(
      () => this.soon(),
      () => {},
    );
  }

  /**
   * The `audit_inbox` row of an entry, checked, for a statement that writes it along with the change it records
   * (the engine's single-statement instance start); call `committed()` once that has committed.
   */
  inboxRow(entry: AuditEntry): InboxColumns {
    const prepared = prepare(entry);
    return {
      at: this.now(),
      actor: prepared.fields.actor,
      action: prepared.fields.action,
      entity_type: prepared.fields.entityType,
      entity_id: prepared.fields.entityId,
      data: prepared.dataJson,
    };
  }

  /** Entries were written to the inbox by a statement of the caller's, now committed: chain them shortly. */
  committed(): void {
    this.soon();
  }

  /** Chains every entry committed so far. */
  flush(): Promise<void> {
    const run = this.chaining.then(() => this.drain());
    this.chaining = run.catch(() => {});
    return run;
  }

  /** Stops the periodic chaining and chains what waits. */
  async close(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.scheduled);
    this.scheduled = undefined;
    await this.flush().catch((error) => this.options.log.error('audit entries left in the inbox; the next start chains them', { error }));
  }

  /** Signs the current head now (or returns the anchor it already has); null when the log is empty. */
  async anchor(trx?: Knex.Transaction): Promise<AuditAnchor | null> {
    return trx ? this.anchorIn(trx) : this.options.knex.transaction((own) => this.anchorIn(own));
  }

  async verify(): Promise<AuditVerification> {
    const { knex, platformKey, log, pageSize } = this.options;
    await this.flush();
    const result = await verifyChain(knex, platformKey, pageSize ?? VERIFY_PAGE_SIZE);
    if (!result.ok)
      log.warn('audit log verification failed', {
        firstBrokenSeq: result.firstBrokenSeq,
        reason: result.reason,
        anchorFailures: result.anchors.failures,
      });
    return result;
  }

  /** The rows of one entity in order, for its archive package. */
  async extract(entityType: string, entityId: string): Promise<AuditRow[]> {
    await this.flush();
    const records: AuditLogRecord[] = await this.options
      .knex('audit_log')
      .select(...AUDIT_COLUMNS)
      .where({ entity_type: entityType, entity_id: entityId })
      .orderBy('seq');
    return records.map(toAuditRow);
  }

  /** A chaining shortly (appends in a burst share one). */
  private soon(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = setTimeout(() => {
      this.scheduled = undefined;
      this.flush().catch((error) => this.options.log.error('audit entries not chained yet; retried', { error }));
    }, CHAIN_AFTER_MS).unref();
  }

  private async drain(): Promise<void> {
    while ((await this.options.knex.transaction((trx) => this.chainIn(trx))) === CHAIN_BATCH);
  }

  /** Takes the lock and chains a batch of committed inbox entries after the head; how many. */
  private async chainIn(trx: Knex.Transaction): Promise<number> {
    const { anchorEvery } = this.options;
    const head = await this.lockedHead(trx);
    // Taken out of the inbox in the statement that reads them; the transaction puts them back if chaining fails.
    const waiting: InboxRow[] = (
      await trx.raw(`delete from audit_inbox where id in (select id from audit_inbox order by id limit ?) returning *`, [CHAIN_BATCH])
    ).rows.sort((a: InboxRow, b: InboxRow) => Number(BigInt(a.id) - BigInt(b.id)));
    if (!waiting.length) return 0;
    let seq = head ? BigInt(head.seq) : 0n;
    let prevHash = head?.hash ?? GENESIS_HASH;
    const rows = [];
    const anchors: { seq: string; hash: string }[] = [];
    for (const entry of waiting) {
      seq++;
      const fields = {
        seq: String(seq),
        at: entry.at,
        actor: entry.actor,
        action: entry.action,
        entityType: entry.entity_type,
        entityId: entry.entity_id,
        data: JSON.parse(entry.data),
      };
      const hash = rowHash(prevHash, fields);
      rows.push({
        seq: fields.seq,
        at: entry.at,
        actor: entry.actor,
        action: entry.action,
        entity_type: entry.entity_type,
        entity_id: entry.entity_id,
        data: entry.data,
        prev_hash: prevHash,
        hash,
      });
      if (anchorEvery > 0 && seq % BigInt(anchorEvery) === 0n) anchors.push({ seq: fields.seq, hash });
      prevHash = hash;
    }
    await trx('audit_log').insert(rows);
    for (const anchor of anchors) await this.sign(trx, anchor);
    return waiting.length;
  }

  private async anchorIn(trx: Knex.Transaction): Promise<AuditAnchor | null> {
    while ((await this.chainIn(trx)) === CHAIN_BATCH);
    const head = await this.lockedHead(trx);
    return head ? this.sign(trx, head) : null;
  }

  private async sign(trx: Knex.Transaction, head: { seq: string; hash: string }): Promise<AuditAnchor> {
    const { anchor, created } = await signAnchor(trx, this.options.platformKey, head, this.now());
    if (created) this.options.log.info('audit anchor signed', { ...anchor });
    return anchor;
  }

  /**
   * Takes the chain lock (held until the transaction ends), then reads the head. On PostgreSQL both go in one
   * simple query, each statement with its own snapshot (READ COMMITTED), so the head read after the lock sees the
   * chaining committed before it. PGlite takes one at a time.
   */
  private async lockedHead(trx: Knex.Transaction): Promise<{ seq: string; hash: string } | undefined> {
    let head: { seq: string | number | bigint; hash: string } | undefined;
    if (this.options.knex.client.config.client === 'pg') {
      const [, result] = await trx.raw(`${CHAIN_LOCK}; ${HEAD}`);
      head = result.rows[0];
    } else {
      await trx.raw(CHAIN_LOCK);
      head = (await trx.raw(HEAD)).rows[0];
    }
    return head && { seq: String(head.seq), hash: head.hash };
  }

  /** A JS Date holds whole milliseconds, so its ISO string is the row's time exactly as timestamptz keeps it. */
  private now(): string {
    return this.options.clock.now().toISOString();
  }
}

/** An entry waiting to be chained: `at` and `data` as the text the hash covers. */
export interface InboxColumns {
  at: string;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  data: string;
}

interface InboxRow extends InboxColumns {
  id: string;
}

interface Prepared {
  fields: { actor: string; action: string; entityType: string; entityId: string | null; data: Record<string, unknown> };
  dataJson: string;
}

/** Checks an entry before any round trip, so a bad one never takes the lock. */
function prepare(entry: AuditEntry): Prepared {
  for (const name of ['actor', 'action', 'entityType'] as const) {
    if (typeof entry[name] !== 'string' || !entry[name]) throw new TypeError(`audit entry: ${name} must be a non-empty string`);
    canonicalJson(entry[name], name);
  }
  const entityId = entry.entityId ?? null;
  if (entityId !== null && typeof entityId !== 'string') throw new TypeError('audit entry: entityId must be a string or null');
  canonicalJson(entityId, 'entityId');
  const data = entry.data ?? {};
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new TypeError('audit entry: data must be an object');
  return {
    fields: { actor: entry.actor, action: entry.action, entityType: entry.entityType, entityId, data },
    dataJson: canonicalJson(data, 'data'),
  };
}
