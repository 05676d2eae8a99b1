import type { Knex } from 'knex';
import type { Auth } from './auth';
import type { Principal } from './principal';
import { DEMO_PASSWORD } from './sign-in';

interface DemoUser {
  username: string;
  name: string;
  kind: Principal['kind'];
  department?: string;
  idNumber?: string;
  uscc?: string;
  /** `[role, domain]`; domain `*` is every department. */
  grants: [string, string][];
}

/** The demo users of shared/API.md; the id of each is its username. */
export const DEMO_USERS: DemoUser[] = [
  { username: 'applicant1', name: '张伟', kind: 'person', idNumber: '360426199101010071', grants: [['applicant', '*']] },
  { username: 'applicant2', name: '李娜', kind: 'person', idNumber: '11010519491231002X', grants: [['applicant', '*']] },
  { username: 'enterprise1', name: '上海明德餐饮管理有限公司', kind: 'enterprise', uscc: '91110000600037341L', grants: [['applicant', '*']] },
  { username: 'enterprise2', name: '福建通达危险货物运输有限公司', kind: 'enterprise', uscc: '91350100M000100Y43', grants: [['applicant', '*']] },
  { username: 'enterprise3', name: '福州顺安危险货物运输有限公司', kind: 'enterprise', uscc: '91350100MA2YT31003', grants: [['applicant', '*']] },
  { username: 'clerk.health', name: '卫健窗口', kind: 'staff', department: 'health', grants: [['clerk', 'health']] },
  { username: 'clerk.culture', name: '文旅窗口', kind: 'staff', department: 'culture', grants: [['clerk', 'culture']] },
  { username: 'clerk.transport', name: '交通窗口', kind: 'staff', department: 'transport', grants: [['clerk', 'transport']] },
  { username: 'chief.health', name: '卫健审批科长', kind: 'staff', department: 'health', grants: [['approver', 'health'], ['clerk', 'health']] },
  { username: 'designer', name: '流程设计员', kind: 'staff', grants: [['designer', '*']] },
  { username: 'admin', name: '系统管理员', kind: 'staff', grants: [['admin', '*']] },
];

/** Adds whichever demo users and role grants are missing; users already there are left as they are. */
export async function seedDemoUsers(knex: Knex, auth: Auth): Promise<void> {
  const existing = new Set((await knex('users').whereIn('id', DEMO_USERS.map((u) => u.username)).pluck('id')) as string[]);
  const missing = DEMO_USERS.filter((u) => !existing.has(u.username));
  if (missing.length) {
    const rows = await Promise.all(
      missing.map(async (u) => ({
        id: u.username,
        username: u.username,
        password_hash: await auth.hashPassword(DEMO_PASSWORD),
        display_name: u.name,
        kind: u.kind,
        department: u.department ?? null,
        id_number: u.idNumber ?? null,
        uscc: u.uscc ?? null,
      })),
    );
    await knex('users').insert(rows).onConflict('id').ignore();
  }
  const grants: string[][] = [];
  for (const u of DEMO_USERS) {
    for (const [role, domain] of u.grants) {
      if (!(await auth.enforcer.hasNamedGroupingPolicy('g', u.username, role, domain))) grants.push([u.username, role, domain]);
    }
  }
  if (grants.length) await auth.enforcer.addNamedGroupingPolicies('g', grants);
}
