import type { Knex } from 'knex';
import type { Principal } from '../auth/principal';
import type { MatterCatalog } from '../matters/catalog';
import { maskName } from '../masking';
import { STATUS_TEXT, type ApplicationStatus } from '../applications/statuses';

/**
 * A clerk's search of the department's cases (shared/API.md): by case number, by the applicant's name, or by their ID
 * number or unified social credit code; names masked in the list. An administrator searches every department.
 */
export async function searchCases(knex: Knex, matters: MatterCatalog, principal: Principal, q: string) {
  const term = q.trim();
  if (!term) return [];
  // The applicants the term names, found once in `users`, rather than an OR across the join of every case with its
  // applicant (which grows with the department's history): the cases then walk their index newest first.
  const applicants = knex('users')
    .select('id')
    .where('id_number', term.toUpperCase())
    .orWhere('uscc', term.toUpperCase())
    .orWhere('display_name', 'like', `%${term.replace(/[%_\\]/g, (c) => `\\${c}`)}%`);
  const query = knex('applications as a')
    .join('users as u', 'u.id', 'a.applicant_id')
    .whereNotNull('a.case_number')
    .where((w) => {
      w.where('a.case_number', term).orWhereIn('a.applicant_id', applicants);
    })
    .orderBy('a.submitted_at', 'desc')
    .limit(100)
    .select('a.id', 'a.case_number', 'a.matter_slug', 'a.action', 'a.status', 'a.submitted_at', 'u.display_name');
  if (!principal.roles.includes('admin')) query.where('a.department', principal.department ?? '');
  const rows = await query;
  return rows.map((r) => {
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
    };
  });
}
