import type { Knex } from 'knex';
import type { AuditLog } from '../audit/audit-log';
import type { Logger } from '../log';
export class Deployments {
  constructor(_options: { knex: Knex; audit: AuditLog; log: Logger }) {}
  async deployRepository(_dir: string): Promise<{ deployed: string[] }> {
    return { deployed: [] };
  }
}
