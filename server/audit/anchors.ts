import type { Knex } from 'knex';
import { canonicalJson } from './canonical-json';
import { isoString } from './chain';
import type { PlatformKey } from './platform-key';

/** A signed statement "row `seq` of the audit chain had hash `hash`", kept in `audit_anchors`. */
export interface AuditAnchor {
  seq: string;
  hash: string;
  /** Ed25519 over `anchorMessage`, base64. */
  signature: string;
  keyId: string;
  signedAt: string;
}

interface AnchorRecord {
  seq: string | number | bigint;
  hash: string;
  signature: string;
  key_id: string;
  signed_at: Date;
}

/**
 * The bytes an anchor signs: the UTF-8 canonical JSON of `{hash, seq, signedAt, type: "audit-anchor"}`.
 * Seq and time are signed with the hash so a signature cannot be moved to another row.
 */
export function anchorMessage(anchor: Pick<AuditAnchor, 'seq' | 'hash' | 'signedAt'>): Buffer {
  return Buffer.from(canonicalJson({ hash: anchor.hash, seq: anchor.seq, signedAt: anchor.signedAt, type: 'audit-anchor' }), 'utf8');
}

function toAnchor(record: AnchorRecord): AuditAnchor {
  return {
    seq: String(record.seq),
    hash: record.hash,
    signature: record.signature,
    keyId: record.key_id,
    signedAt: isoString(record.signed_at),
  };
}

/** Signs row `seq` with `hash`, or returns the anchor it already has; the caller holds the chain lock. */
export async function signAnchor(
  trx: Knex.Transaction,
  key: PlatformKey,
  head: { seq: string; hash: string },
  signedAt: string,
): Promise<{ anchor: AuditAnchor; created: boolean }> {
  const unsigned = { seq: head.seq, hash: head.hash, signedAt };
  const signature = key.sign(anchorMessage(unsigned));
  const inserted: AnchorRecord[] = await trx('audit_anchors')
    .insert({ seq: head.seq, hash: head.hash, signature, key_id: key.keyId, signed_at: unsigned.signedAt })
    .onConflict('seq')
    .ignore()
    .returning(['seq', 'hash', 'signature', 'key_id', 'signed_at']);
  if (inserted.length) return { anchor: toAnchor(inserted[0]), created: true };
  const existing: AnchorRecord = await trx('audit_anchors').where({ seq: head.seq }).first();
  return { anchor: toAnchor(existing), created: false };
}

export async function readAnchors(knex: Knex): Promise<AuditAnchor[]> {
  const records: AnchorRecord[] = await knex('audit_anchors').select('seq', 'hash', 'signature', 'key_id', 'signed_at').orderBy('seq');
  return records.map(toAnchor);
}

/**
 * Why an anchor fails, or undefined when it holds. `head` is the last seq of the chain; `hashAt` the stored
 * hash of each anchored row the walk met (whether those recompute is the walk's finding, not this one's).
 */
export function anchorFailure(anchor: AuditAnchor, key: PlatformKey, head: bigint, hashAt: Map<string, string>): string | undefined {
  if (anchor.keyId !== key.keyId) return `signed with key ${anchor.keyId}, not the platform key ${key.keyId}`;
  if (!key.verify(anchorMessage(anchor), anchor.signature)) return 'the signature does not verify with the platform key';
  if (BigInt(anchor.seq) > head) return `seq ${anchor.seq} is beyond the end of the chain (${head}): rows were deleted`;
  const stored = hashAt.get(anchor.seq);
  if (stored === undefined) return `the chain has no row ${anchor.seq}`;
  if (stored !== anchor.hash) return `the chain's hash at seq ${anchor.seq} is not the signed one: rows up to ${anchor.seq} were rewritten`;
  return undefined;
}
