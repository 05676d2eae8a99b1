import type { Knex } from 'knex';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { PlatformKey } from './platform-key';

export interface AuditEntry {
  actor: string;
  action: string;
  entityType: string;
  entityId?: string | null;
  data?: Record<string, unknown>;
}

export class AuditLog {
  constructor(_options: { knex: Knex; clock: Clock; platformKey: PlatformKey; anchorEvery: number; log: Logger }) {}
  async append(_entry: AuditEntry, _trx?: Knex.Transaction): Promise<{ seq: string; hash: string }> {
    return { seq: '0', hash: '' };
  }
}
