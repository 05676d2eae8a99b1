import type { Knex } from 'knex';
import { FINAL_STATUSES } from '../applications/statuses';
import { shanghaiDate } from '../calendar/local-date';
import type { Clock } from '../clock';
import type { Registries } from '../registries';
import type { EligibilitySources, ExemptionSources } from './sources';

const ENTERPRISE_STATUS_TEXT = { active: '存续', revoked: '吊销', cancelled: '注销' } as const;

/** Exemptions from the shared-data registries and the e-licence library (server/registries). */
export function registryExemptions(registries: Registries, clock: Clock): ExemptionSources {
  return {
    async holdsLicense(holderCode, typeCode) {
      const today = shanghaiDate(clock.now());
      // The library marks expiry in a batch: a licence past its date counts as expired already.
      return (await registries.licenses.byHolder(holderCode, typeCode)).some(
        (l) => l.status === 'valid' && (l.validUntil === null || l.validUntil >= today),
      );
    },
    async inRegistry(kind, code) {
      return Boolean(kind === 'person' ? await registries.persons.find(code) : await registries.enterprises.find(code));
    },
  };
}

/** The pre-check's lookups: the registries, and the applications table for an application still open. */
export function platformEligibility(registries: Registries, knex: Knex): EligibilitySources {
  return {
    async enterprise(uscc) {
      const found = await registries.enterprises.find(uscc);
      return found ? { name: found.name, active: found.status === 'active', status: ENTERPRISE_STATUS_TEXT[found.status] } : null;
    },
    async licenses(holderCode, typeCode) {
      return (await registries.licenses.byHolder(holderCode, typeCode)).map((l) => ({
        id: l.id,
        number: l.number,
        status: l.status,
        validUntil: l.validUntil,
      }));
    },
    async openApplication({ matterSlug, licenseId }) {
      const row = await knex('applications')
        .where({ matter_slug: matterSlug, license_id: licenseId })
        // A draft is not yet an application: abandoned drafts must not block one.
        .whereNotIn('status', ['draft', ...FINAL_STATUSES])
        .orderBy('created_at')
        .first('id', 'case_number');
      return row ? { id: row.id, caseNumber: row.case_number ?? null } : null;
    },
  };
}
