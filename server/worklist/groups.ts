import type { Principal } from '../auth/principal';

/**
 * The candidate groups a staff member works for (JOBS.md "User tasks"): a clerk of department D takes the tasks of
 * group D, its approver those of `D-chief`. An administrator sees every group.
 */
export function groupsOf(principal: Principal): string[] | 'all' {
  if (principal.roles.includes('admin')) return 'all';
  if (!principal.department) return [];
  const groups: string[] = [];
  if (principal.roles.includes('clerk')) groups.push(principal.department);
  if (principal.roles.includes('approver')) groups.push(`${principal.department}-chief`);
  return groups;
}
