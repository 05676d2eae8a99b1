import crypto from 'node:crypto';
import { canonicalJson } from './canonical-json';

/** The prev_hash of row 1. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * What a row's hash covers. `seq` is a decimal string (a bigint column outgrows JS numbers, and both
 * drivers return it in different types); `at` is the ISO string in UTC with milliseconds; `entityId` is
 * null when there is none; `data` is the object stored in the jsonb column.
 */
export interface ChainedFields {
  seq: string;
  at: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string | null;
  data: Record<string, unknown>;
}

/** One row of the audit log as the platform reads it (for verification and archive packages). */
export interface AuditRow extends ChainedFields {
  prevHash: string;
  hash: string;
}

/** `hash = sha256(prev_hash || canonical_json(row))`: the 64 hex characters of prev_hash, then the JSON, as UTF-8. */
export function rowHash(prevHash: string, fields: ChainedFields): string {
  const { seq, at, actor, action, entityType, entityId, data } = fields;
  return crypto
    .createHash('sha256')
    .update(prevHash, 'utf8')
    .update(canonicalJson({ seq, at, actor, action, entityType, entityId, data }), 'utf8')
    .digest('hex');
}

export const AUDIT_COLUMNS = ['seq', 'at', 'actor', 'action', 'entity_type', 'entity_id', 'data', 'prev_hash', 'hash'] as const;

export interface AuditLogRecord {
  seq: string | number | bigint;
  at: Date;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  data: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

/** A timestamp column as ISO 8601 with milliseconds; a value no Date can hold (a tampered 'infinity') stays as it reads, and fails its hash. */
export function isoString(value: Date): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
}

export function toAuditRow(record: AuditLogRecord): AuditRow {
  return {
    seq: String(record.seq),
    at: isoString(record.at),
    actor: record.actor,
    action: record.action,
    entityType: record.entity_type,
    entityId: record.entity_id,
    data: record.data,
    prevHash: record.prev_hash,
    hash: record.hash,
  };
}
