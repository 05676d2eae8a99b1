import type { Knex } from 'knex';
import { anchorFailure, readAnchors } from './anchors';
import { AUDIT_COLUMNS, GENESIS_HASH, rowHash, toAuditRow, type AuditLogRecord, type AuditRow } from './chain';
import type { PlatformKey } from './platform-key';

export interface AuditVerification {
  ok: boolean;
  /** Rows walked. */
  rows: number;
  /** The first row whose hash does not recompute, whose prev_hash is not the hash before it, or that is missing. */
  firstBrokenSeq?: string;
  /** The first problem, for a person. */
  reason?: string;
  anchors: { checked: number; failures: { seq: string; reason: string }[] };
}

interface Walk {
  rows: number;
  broken?: { seq: string; reason: string };
  hashAt: Map<string, string>;
}

/** Recomputes the chain page by page (keyset on seq, so memory stays flat at any length) and checks every anchor. */
export async function verifyChain(knex: Knex, key: PlatformKey, pageSize: number): Promise<AuditVerification> {
  // Anchors first, then the head: an anchor commits with its row, so every anchor read lies at or below
  // the head unless rows were deleted; rows appended meanwhile are past the head and left for next time.
  const anchors = await readAnchors(knex);
  const top = (await knex('audit_log').max('seq as seq').first()) as { seq: string | number | bigint | null } | undefined;
  const head = top?.seq == null ? 0n : BigInt(top.seq);
  const walk = await walkChain(knex, head, new Set(anchors.map((a) => a.seq)), pageSize);

  const failures: { seq: string; reason: string }[] = [];
  for (const anchor of anchors) {
    const reason = anchorFailure(anchor, key, head, walk.hashAt);
    if (reason) failures.push({ seq: anchor.seq, reason });
  }
  const result: AuditVerification = { ok: !walk.broken && failures.length === 0, rows: walk.rows, anchors: { checked: anchors.length, failures } };
  if (walk.broken) {
    result.firstBrokenSeq = walk.broken.seq;
    result.reason = walk.broken.reason;
  } else if (failures.length) {
    result.reason = `anchor at seq ${failures[0].seq}: ${failures[0].reason}`;
  }
  return result;
}

async function walkChain(knex: Knex, head: bigint, anchored: Set<string>, pageSize: number): Promise<Walk> {
  const walk: Walk = { rows: 0, hashAt: new Map() };
  let expected = 1n;
  let prevHash = GENESIS_HASH;
  const fetchPage = async (after?: string): Promise<AuditLogRecord[]> => {
    const query = knex('audit_log').select(...AUDIT_COLUMNS).where('seq', '<=', String(head)).orderBy('seq').limit(pageSize);
    return after === undefined ? await query : await query.andWhere('seq', '>', after);
  };
  let next: Promise<AuditLogRecord[]> | undefined = fetchPage();
  while (next) {
    const page: AuditLogRecord[] = await next;
    // The next page is read while this one is hashed.
    next = page.length === pageSize ? fetchPage(String(page[page.length - 1].seq)) : undefined;
    for (const record of page) {
      const row = toAuditRow(record);
      const seq = BigInt(row.seq);
      walk.rows++;
      walk.broken ??= problem(row, seq, expected, prevHash);
      if (anchored.has(row.seq)) walk.hashAt.set(row.seq, row.hash);
      expected = seq + 1n;
      prevHash = row.hash;
    }
  }
  return walk;
}

function problem(row: AuditRow, seq: bigint, expected: bigint, prevHash: string): Walk['broken'] {
  if (seq < expected) return { seq: row.seq, reason: `row ${seq} is before row 1` };
  if (seq > expected) {
    const missing = expected === seq - 1n ? `row ${expected} is missing` : `rows ${expected} to ${seq - 1n} are missing`;
    return { seq: String(expected), reason: `${missing} (the next row is ${seq})` };
  }
  if (row.prevHash !== prevHash) {
    return { seq: row.seq, reason: `row ${seq}: prev_hash is not the hash of ${seq === 1n ? 'the genesis' : `row ${seq - 1n}`}` };
  }
  if (rowHash(row.prevHash, row) !== row.hash) return { seq: row.seq, reason: `row ${seq}: its contents do not match its hash` };
  return undefined;
}
