import { shanghaiDate } from '../calendar/local-date';
import { checkEligibility } from '../matters/eligibility';
import { changedFields, prefillForm } from '../../workers/prefill/prefill-form';
import { recheckAfterSubmission } from '../../workers/prefill/recheck';
import type { PrefillOutcome } from '../../workers/prefill';
import { lastApplicationValues } from './history';
import { addEvent, specOf, type ApplicationDeps, type ApplicationRow } from './store';

/**
 * After submission (the process's `prefill` task): re-reads the authoritative data the draft was filled from, takes
 * what changed since and records it on the timeline, and checks the applicant again (the enterprise still active, the
 * licence still valid). What the review table checks too (a licence expired since the draft…) is noted on the timeline
 * and left to the review, which puts the case before a clerk; only what makes the application impossible ends it
 * (`workers/prefill/recheck.ts`), its reason on the timeline. A registry that cannot answer now is a technical failure,
 * retried.
 */
export async function refreshPrefill(deps: ApplicationDeps, applicationId: string, jobKey: string): Promise<PrefillOutcome> {
  const row = (await deps.knex('applications').where({ id: applicationId }).first()) as ApplicationRow | undefined;
  if (!row) return { kind: 'unknown-application' };
  const { matter, spec } = specOf(deps.matters, row);
  const applicant = await deps.knex('users').where({ id: row.applicant_id }).first('kind', 'uscc', 'id_number');
  const holderCode: string | null = applicant?.uscc ?? applicant?.id_number ?? null;
  const secondPartyCode = spec.secondParty ? ((row.form[spec.secondParty.idField]?.value as string | null) ?? null) : null;
  const history = await lastApplicationValues(deps.knex, row.applicant_id, row.matter_slug);
  const filled = await prefillForm(
    { fields: spec.fields, holderCode, secondPartyCode, licenseId: row.license_id, history, current: row.form },
    deps.registries,
  );
  if (filled.unavailable.length) return { kind: 'unavailable', registries: filled.unavailable };

  const checked = await checkEligibility({
    matter,
    action: spec,
    caller: { kind: applicant?.kind ?? 'person', code: holderCode },
    licenseId: row.license_id ?? undefined,
    today: shanghaiDate(deps.clock.now()),
    calendar: deps.matters.calendar,
    sources: {
      ...deps.eligibility,
      // This application is open itself; only another one stands in its way.
      openApplication: async (query) => {
        const open = await deps.eligibility.openApplication(query);
        return open && open.id !== row.id ? open : null;
      },
    },
  });
  const changed = changedFields(row.form, filled.form);
  const recheck = checked?.eligible === false ? recheckAfterSubmission(checked.problems) : { ending: [], forReview: [] };
  const now = deps.clock.now();
  await deps.knex.transaction(async (trx) => {
    const seen = await trx('application_events').where({ application_id: row.id, job_key: jobKey }).first('id');
    if (seen) return;
    if (changed.length)
      await trx('applications')
        .where({ id: row.id })
        .update({ form: JSON.stringify(filled.form), updated_at: now });
    const labels = changed.map((key) => spec.fields.find((f) => f.key === key)?.label ?? key);
    await trx('application_events').insert({
      application_id: row.id,
      at: now,
      kind: 'prefill',
      message: changed.length ? `复核共享数据：以下信息已更新为最新登记信息：${labels.join('、')}` : '复核共享数据：与申请时一致',
      data: JSON.stringify({ changedFields: changed }),
      job_key: jobKey,
    });
    if (recheck.ending.length) {
      await addEvent(trx, now, row.id, {
        kind: 'eligibility',
        message: `复核申请条件：不符合申请条件，${recheck.ending.join('；')}`,
        data: { reasons: recheck.ending, ends: true },
      });
      // What the refusal that follows rests on.
      await deps.audit.append(
        {
          actor: `process:${row.process_instance_key ?? ''}`,
          action: 'application.not-eligible',
          entityType: 'application',
          entityId: row.id,
          data: { reasons: recheck.ending },
        },
        trx,
      );
    } else if (recheck.forReview.length)
      await addEvent(trx, now, row.id, {
        kind: 'eligibility',
        message: `复核申请条件：${recheck.forReview.join('；')}。将在审查中核验`,
        data: { reasons: recheck.forReview, ends: false },
      });
    if (changed.length) {
      await deps.audit.append(
        {
          actor: `process:${row.process_instance_key ?? ''}`,
          action: 'application.prefill-refreshed',
          entityType: 'application',
          entityId: row.id,
          data: { changedFields: changed },
        },
        trx,
      );
    }
  });
  if (recheck.ending.length) return { kind: 'not-eligible', reasons: recheck.ending, changedFields: changed };
  if (checked && checked.eligible === undefined) return { kind: 'unavailable', registries: [] };
  return { kind: 'refreshed', changedFields: changed };
}
