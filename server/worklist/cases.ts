import type { Knex } from 'knex';
import type { Principal } from '../auth/principal';
import type { MatterCatalog } from '../matters/catalog';
import { maskName } from '../masking';
import { FINAL_STATUSES, STATUS_TEXT, type ApplicationStatus } from '../applications/statuses';

/** The newest cases a search shows; `truncated` says more matched (the clerk narrows the term). */
export const CASES_SHOWN = 100;

export interface CaseQuery {
  /** A case number, an applicant's name, ID number or unified social credit code. */
  q?: string;
  /** Only the cases suspended now (中止): whose latest suspension or resumption is a suspension, the decision still to come. */
  suspended?: boolean;
}

/**
 * A clerk's search of the department's cases (shared/API.md): by case number, by the applicant's name, or by their ID
 * number or unified social credit code, or the cases suspended now (since when and why, longest suspended first, the
 * term then optional); names masked in the list. An administrator searches every department.
 */
export async function searchCases(knex: Knex, matters: MatterCatalog, principal: Principal, find: CaseQuery) {
  const term = find.q?.trim() ?? '';
  if (!term && !find.suspended) return { cases: [], truncated: false };
  const query = knex('applications as a')
    .join('users as u', 'u.id', 'a.applicant_id')
    .whereNotNull('a.case_number')
    .limit(CASES_SHOWN + 1)
    .select('a.id', 'a.case_number', 'a.matter_slug', 'a.action', 'a.status', 'a.submitted_at', 'u.display_name');
  if (term) {
    // The applicants the term names, found once in `users`, rather than an OR across the join of every case with its
    // applicant (which grows with the department's history): the cases then walk their index newest first.
    const applicants = knex('users')
      .select('id')
      .where('id_number', term.toUpperCase())
      .orWhere('uscc', term.toUpperCase())
      .orWhere('display_name', 'like', `%${term.replace(/[%_\\]/g, (c) => `\\${c}`)}%`);
    query.where((w) => {
      w.where('a.case_number', term).orWhereIn('a.applicant_id', applicants);
    });
  }
  if (find.suspended) {
    // Each case's latest suspension or resumption: a suspension is a case waiting to be resumed.
    const latest = knex('application_events')
      .distinctOn('application_id')
      .select('application_id', 'kind', 'at', 'data')
      .whereIn('kind', ['suspension', 'resumption'])
      .orderBy([{ column: 'application_id' }, { column: 'at', order: 'desc' }, { column: 'id', order: 'desc' }]);
    query
      .join(latest.as('s'), 's.application_id', 'a.id')
      .where('s.kind', 'suspension')
      .whereNotIn('a.status', FINAL_STATUSES)
      .select('s.at as suspended_at', 's.data as suspension')
      .orderBy('s.at', 'asc')
      .orderBy('a.id');
  } else query.orderBy('a.submitted_at', 'desc');
  if (!principal.roles.includes('admin')) query.where('a.department', principal.department ?? '');
  const rows = await query;
  return {
    cases: rows.slice(0, CASES_SHOWN).map((r) => {
      const matter = matters.get(r.matter_slug);
      return {
        id: r.id,
        caseNumber: r.case_number,
        matterName: matter?.name ?? r.matter_slug,
        actionName: matter?.actions[r.action as keyof typeof matter.actions]?.name ?? r.action,
        applicantName: maskName(r.display_name),
        status: r.status,
        statusText: STATUS_TEXT[r.status as ApplicationStatus],
        submittedAt: r.submitted_at ? new Date(r.submitted_at).toISOString() : null,
        ...(find.suspended
          ? {
              suspension: {
                since: new Date(r.suspended_at).toISOString(),
                reason: (r.suspension as { reason?: string } | null)?.reason ?? null,
              },
            }
          : {}),
      };
    }),
    truncated: rows.length > CASES_SHOWN,
  };
}
