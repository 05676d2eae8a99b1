import type { Knex } from 'knex';
import type { AuditLog } from '../audit/audit-log';
import type { Clock } from '../clock';
import type { MatterCatalog } from '../matters/catalog';
import type { Registries } from '../registries';
import type { Storage } from '../storage';
import type { KeyStore } from '../../workers/esign/index';

/** What issuing (signing, publishing, verifying) takes from the platform. */
export interface IssuingDeps {
  knex: Knex;
  audit: AuditLog;
  clock: Clock;
  matters: MatterCatalog;
  registries: Registries;
  storage: Storage;
  keyStore: KeyStore;
  /** The address the QR code on a licence leads to: `${publicUrl}/api/v1/licenses/{id}/verify`. */
  publicUrl: string;
}

export const verifyUrlOf = (publicUrl: string, licenseId: string) => `${publicUrl.replace(/\/$/, '')}/api/v1/licenses/${licenseId}/verify`;
