import { shanghaiDate } from '../calendar/local-date';
import { specOf, type ApplicationRow } from '../applications/store';
import type { PublishLicense } from '../../workers/license-publish';
import type { IssuingDeps } from './issuing-deps';
import type { LicenseToIssue } from './license-to-issue';

/**
 * The `license-publish` job: the signed licence written to the e-licence library (GB/T 36903 metadata, the document's
 * SHA-256), the licence it replaces marked superseded; or, for a cancellation, the held licence revoked. Idempotent
 * by application: a second run finds the licence published and changes nothing.
 */
export const publishLicense =
  (deps: IssuingDeps): PublishLicense =>
  async (applicationId) => {
    const row = (await deps.knex('applications').where({ id: applicationId }).first()) as ApplicationRow | undefined;
    if (!row) return { kind: 'unknown-application' };
    if (row.status !== 'approved') return { kind: 'not-approved', status: row.status };
    const { spec } = specOf(deps.matters, row);
    const now = deps.clock.now();

    if (spec.issues?.operation === 'revoke') {
      if (!row.license_id) return { kind: 'nothing-to-publish' };
      await deps.knex.transaction(async (trx) => {
        const held = await trx('licenses').where({ id: row.license_id }).forUpdate().first('status', 'data');
        if (held?.status !== 'valid') return;
        const data = { ...(held.data ?? {}), revokedOn: shanghaiDate(now), revocationReason: '持证者申请注销', revokedBy: applicationId };
        await trx('licenses')
          .where({ id: row.license_id })
          .update({ status: 'revoked', data: JSON.stringify(data) });
        await trx('applications')
          .where({ id: applicationId })
          .update({ result: JSON.stringify({ revokedLicenseId: row.license_id }) });
        await deps.audit.append(
          {
            actor: `application:${applicationId}`,
            action: 'license.revoked',
            entityType: 'license',
            entityId: row.license_id,
            data: { applicationId },
          },
          trx,
        );
      });
      return { kind: 'published', licenseId: row.license_id };
    }

    const document = await deps.knex('documents').where({ application_id: applicationId, kind: 'licence' }).first();
    if (!document) return spec.issues ? { kind: 'not-signed' } : { kind: 'nothing-to-publish' };
    const license = document.license as LicenseToIssue;
    await deps.knex.transaction(async (trx) => {
      const published = await trx('licenses').where({ id: license.id }).first('id');
      if (published) return;
      const { supersedes, ...record } = license;
      await trx('licenses').insert({
        id: record.id,
        identifier: record.identifier,
        type_code: record.typeCode,
        type_name: record.typeName,
        number: record.number,
        issuer_name: record.issuerName,
        issuer_code: record.issuerCode,
        issue_date: record.issueDate,
        valid_from: record.validFrom,
        valid_until: record.validUntil,
        holder_name: record.holderName,
        holder_code: record.holderCode,
        holder_type: record.holderType,
        territory_code: record.territoryCode,
        related_identifier: record.relatedIdentifier,
        version: record.version,
        status: 'valid',
        data: JSON.stringify(record.data),
        document_sha256: document.sha256,
        application_id: applicationId,
        created_at: now,
      });
      if (supersedes) await trx('licenses').where({ id: supersedes, status: 'valid' }).update({ status: 'superseded' });
      const documents = await trx('documents').where({ application_id: applicationId }).select('id', 'kind');
      await trx('applications')
        .where({ id: applicationId })
        .update({ result: JSON.stringify({ licenseId: record.id, identifier: record.identifier, documents }) });
      await trx('application_events').insert({
        application_id: applicationId,
        at: now,
        kind: 'license',
        message: `电子证照已归集至电子证照库：${record.typeName}（${record.number}），有效期至${record.validUntil ?? '长期'}`,
        data: JSON.stringify({ licenseId: record.id }),
      });
      await deps.audit.append(
        {
          actor: `application:${applicationId}`,
          action: 'license.published',
          entityType: 'license',
          entityId: record.id,
          data: { identifier: record.identifier, supersedes, documentSha256: document.sha256 },
        },
        trx,
      );
    });
    return { kind: 'published', licenseId: license.id };
  };
