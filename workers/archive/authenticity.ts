import type { X509Certificate } from 'node:crypto';
import { rowHash, type AuditRow } from '../../server/audit/chain';
import { verifyPdf } from '../esign/index';

/**
 * Why the signatures of a signed document do not prove it: none, one not valid, the last one not covering the whole
 * file, or (with trust anchors) a signer not chaining to them. Empty when they prove it.
 */
export function documentSignatureProblems(pdf: Uint8Array, trustAnchors: X509Certificate[] | undefined): string[] {
  let signatures;
  try {
    ({ signatures } = verifyPdf(pdf, { trustAnchors }));
  } catch (error) {
    return [`its signatures cannot be read: ${(error as Error).message} (签名无法读取)`];
  }
  if (signatures.length === 0) return ['it carries no signature (未签名)'];
  const problems: string[] = [];
  signatures.forEach((signature, i) => {
    const which = signatures.length === 1 ? 'its signature' : `signature ${i + 1} of ${signatures.length}`;
    const signer = signature.signer?.commonName ? ` by ${signature.signer.commonName}` : '';
    if (!signature.valid) problems.push(`${which}${signer} is not valid: ${signature.problems.join('; ')} (签名无效)`);
    else if (trustAnchors && !signature.chainTrusted) {
      problems.push(`${which}${signer} is not from a trusted certificate: ${signature.problems.join('; ')} (证书不受信任)`);
    }
  });
  if (!signatures.at(-1)!.coversWholeDocument) {
    problems.push('bytes were added after its last signature: the signature does not cover the whole document (签名后被修改)');
  }
  return problems;
}

const AUDIT_ROW_KEYS = ['seq', 'at', 'actor', 'action', 'entityType', 'entityId', 'data', 'prevHash', 'hash'] as const;

function isAuditRow(value: unknown): value is AuditRow {
  if (!value || typeof value !== 'object') return false;
  const row = value as Record<string, unknown>;
  return (
    AUDIT_ROW_KEYS.every((key) => key in row) &&
    ['seq', 'at', 'actor', 'action', 'entityType', 'prevHash', 'hash'].every((key) => typeof row[key] === 'string') &&
    (row.entityId === null || typeof row.entityId === 'string') &&
    !!row.data &&
    typeof row.data === 'object'
  );
}

/**
 * The audit extract: each row's hash recomputes from its fields and prev_hash, and a row following its predecessor in
 * the log (seq + 1) links to that row's hash. `shape` problems mean the extract is not a list of audit rows at all.
 */
export function auditExtractProblems(extract: unknown): { shape: string[]; hashes: string[] } {
  if (!Array.isArray(extract)) return { shape: ['it is not a list of audit rows (不是审计记录列表)'], hashes: [] };
  const shape: string[] = [];
  const hashes: string[] = [];
  extract.forEach((row, i) => {
    if (!isAuditRow(row)) {
      shape.push(
        `item ${i + 1} is not an audit row with seq, at, actor, action, entityType, entityId, data, prevHash and hash (审计记录格式错误)`,
      );
      return;
    }
    let hash: string;
    try {
      hash = rowHash(row.prevHash, row);
    } catch (error) {
      hashes.push(`audit row seq ${row.seq} cannot be hashed: ${(error as Error).message} (审计记录无法计算哈希)`);
      return;
    }
    if (hash !== row.hash) hashes.push(`audit row seq ${row.seq}: its hash does not recompute from its fields (审计记录哈希不符)`);
    const previous = extract[i - 1];
    if (isAuditRow(previous) && /^\d+$/.test(row.seq) && /^\d+$/.test(previous.seq) && BigInt(row.seq) === BigInt(previous.seq) + 1n) {
      if (row.prevHash !== previous.hash)
        hashes.push(`audit row seq ${row.seq} does not link to row ${previous.seq} before it (审计链断开)`);
    }
  });
  return { shape, hashes };
}
