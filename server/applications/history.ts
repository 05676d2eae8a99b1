import type { Knex } from 'knex';
import type { DraftForm } from '../../workers/prefill/prefill-form';

const LOOK_BACK = 10;

/**
 * What the applicant last gave for each field in their submitted applications of this matter (any action; the newest
 * non-empty value per field among the last ten), for the fields a matter marks `history` (contacts, the hygiene
 * manager…). Drafts do not count: they may hold half-typed values.
 */
export async function lastApplicationValues(knex: Knex, applicantId: string, matterSlug: string): Promise<Record<string, unknown>> {
  const recent: { form: DraftForm }[] = await knex('applications')
    .where({ applicant_id: applicantId, matter_slug: matterSlug, sandbox: false })
    .whereNotNull('submitted_at')
    .orderBy('submitted_at', 'desc')
    .limit(LOOK_BACK)
    .select('form');
  const values: Record<string, unknown> = {};
  for (const { form } of recent) {
    for (const [key, entry] of Object.entries(form)) {
      const value = entry?.value;
      if (values[key] === undefined && value !== null && value !== undefined && value !== '') values[key] = value;
    }
  }
  return values;
}
