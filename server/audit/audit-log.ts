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

// One transaction-scoped advisory lock ("auditlog" in ASCII) orders every append and anchor.
const CHAIN_LOCK = 'select pg_advisory_xact_lock(7022364614264186727)';
const HEAD = 'select seq, hash from audit_log order by seq desc limit 1';
const VERIFY_PAGE_SIZE = 5000;

/**
 * The append-only, hash-chained audit log (`audit_log`) and its signed anchors (`audit_anchors`).
 * Seq is gapless: it is the last seq + 1, read under the lock, so a rolled-back append leaves nothing behind.
 */
export class AuditLog {
  constructor(private readonly options: AuditLogOptions) {}

  /**
   * Appends one row, inside `trx` when given so it commits or rolls back with the change it records. The lock
   * is held until that transaction ends: append last, and keep the transaction short. The transaction must be
   * READ COMMITTED (PostgreSQL's default), so the head read after the lock sees the previous append.
   */
  async append(entry: AuditEntry, trx?: Knex.Transaction): Promise<{ seq: string; hash: string }> {
    const prepared = prepare(entry);
    return trx ? this.appendIn(trx, prepared) : this.options.knex.transaction((own) => this.appendIn(own, prepared));
  }

  /** Signs the current head now (or returns the anchor it already has); null when the log is empty. */
  async anchor(trx?: Knex.Transaction): Promise<AuditAnchor | null> {
    return trx ? this.anchorIn(trx) : this.options.knex.transaction((own) => this.anchorIn(own));
  }

  async verify(): Promise<AuditVerification> {
    const { knex, platformKey, log, pageSize } = this.options;
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
    const records: AuditLogRecord[] = await this.options
      .knex('audit_log')
      .select(...AUDIT_COLUMNS)
      .where({ entity_type: entityType, entity_id: entityId })
      .orderBy('seq');
    return records.map(toAuditRow);
  }

  private async appendIn(trx: Knex.Transaction, entry: Prepared): Promise<{ seq: string; hash: string }> {
    const { anchorEvery } = this.options;
    const head = await this.lockedHead(trx);
    const seq = head ? BigInt(head.seq) + 1n : 1n;
    const prevHash = head?.hash ?? GENESIS_HASH;
    const at = this.now();
    const fields = { ...entry.fields, seq: String(seq), at };
    const hash = rowHash(prevHash, fields);
    await trx('audit_log').insert({
      seq: fields.seq,
      at,
      actor: fields.actor,
      action: fields.action,
      entity_type: fields.entityType,
      entity_id: fields.entityId,
      data: entry.dataJson,
      prev_hash: prevHash,
      hash,
    });
    if (anchorEvery > 0 && seq % BigInt(anchorEvery) === 0n) await this.sign(trx, { seq: fields.seq, hash });
    return { seq: fields.seq, hash };
  }

  private async anchorIn(trx: Knex.Transaction): Promise<AuditAnchor | null> {
    const head = await this.lockedHead(trx);
    return head ? this.sign(trx, head) : null;
  }

  private async sign(trx: Knex.Transaction, head: { seq: string; hash: string }): Promise<AuditAnchor> {
    const { anchor, created } = await signAnchor(trx, this.options.platformKey, head, this.now());
    if (created) this.options.log.info('audit anchor signed', { ...anchor });
    return anchor;
  }

  /**
   * Takes the chain lock, then reads the head. The lock is held until the transaction ends, so every round trip
   * under it counts: on PostgreSQL both go in one simple query, each statement with its own snapshot (READ
   * COMMITTED), so the head read after the lock sees the append committed before it. PGlite takes one at a time.
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
