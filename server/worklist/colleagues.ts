import type { Knex } from 'knex';
import type { Principal } from '../auth/principal';
import { AppError } from '../errors';

/** Who a task can be handed to (转办): the caller's department's staff, and its two groups (window and chief). */
export async function colleaguesOf(knex: Knex, principal: Principal) {
  const department = principal.department;
  if (!department) throw new AppError(403, 'FORBIDDEN', '没有所属部门');
  const staff: { id: string; display_name: string }[] = await knex('users')
    .where({ kind: 'staff', department, disabled: false })
    .orderBy('id')
    .select('id', 'display_name');
  return {
    department,
    groups: [department, `${department}-chief`],
    staff: staff.map((s) => ({ id: s.id, name: s.display_name, me: s.id === principal.id })),
  };
}
