import type { Knex } from 'knex';
import type { AuditLog } from '../audit/audit-log';
import type { Clock } from '../clock';
import type { Config } from '../config';
import type { Logger } from '../log';

export interface Auth {
  securityHandler(req: unknown, scopes: string[], schema: unknown): Promise<boolean>;
}

export async function createAuth(_options: { knex: Knex; config: Config; clock: Clock; audit: AuditLog; log: Logger }): Promise<Auth> {
  return { securityHandler: async () => true };
}
