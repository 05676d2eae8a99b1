import type { Knex } from 'knex';
import type { Principal } from '../auth/principal';
import { computeTimeLimit } from '../calendar/time-limit';
import type { WorkingCalendar } from '../calendar/working-calendar';
import { AppError, conflict } from '../errors';
import type { MatterAction } from '../matters/schema';
import { pausesOf } from './pauses';
import { FINAL_STATUSES, type ApplicationStatus } from './statuses';
import { addEvent, type ApplicationDeps } from './store';

interface ConfirmationRow {
  token: string;
  application_id: string;
  role: string;
  id_number: string;
  name: string | null;
  status: 'pending' | 'accepted' | 'declined' | 'cancelled';
  created_at: Date;
  expires_at: Date;
  answered_at: Date | null;
}

export interface PendingConfirmation {
  token: string;
  applicationId: string;
  caseNumber: string | null;
  matter: string;
  role: string;
  requestedBy: string;
  expiresAt: string;
}

/** The confirmations waiting for the signed-in person (e.g. the employee whose employer applied). */
export async function pendingConfirmations(deps: ApplicationDeps, principal: Principal): Promise<PendingConfirmation[]> {
  if (!principal.idNumber) return [];
  const rows = await deps
    .knex('confirmations as c')
    .join('applications as a', 'a.id', 'c.application_id')
    .join('users as u', 'u.id', 'a.applicant_id')
    .where({ 'c.id_number': principal.idNumber, 'c.status': 'pending' })
    .where('c.expires_at', '>', deps.clock.now())
    .whereNotIn('a.status', FINAL_STATUSES)
    .orderBy('c.created_at')
    .select('c.token', 'c.application_id', 'c.role', 'c.expires_at', 'a.case_number', 'a.matter_slug', 'u.display_name');
  return rows.map((r) => ({
    token: r.token,
    applicationId: r.application_id,
    caseNumber: r.case_number,
    matter: deps.matters.get(r.matter_slug)?.name ?? r.matter_slug,
    role: r.role,
    requestedBy: r.display_name,
    expiresAt: new Date(r.expires_at).toISOString(),
  }));
}

/**
 * The second party's answer (`POST /confirmations/{token}`): only the person named (their ID number) may give it,
 * once, in time; it reaches the process as the `second-party-confirmed` message with `accepted`.
 */
export async function confirm(deps: ApplicationDeps, principal: Principal, token: string, accept: boolean) {
  const now = deps.clock.now();
  const row = await deps.knex.transaction(async (trx) => {
    const found = (await trx('confirmations').where({ token }).forUpdate().first()) as ConfirmationRow | undefined;
    if (!found) throw new AppError(404, 'NOT_FOUND', '没有这个确认请求，或者链接已失效');
    if (!principal.idNumber || principal.idNumber !== found.id_number) {
      throw new AppError(403, 'FORBIDDEN', `请以被确认的${found.role}本人身份登录后确认`);
    }
    const answer = accept ? 'accepted' : 'declined';
    const application = await trx('applications').where({ id: found.application_id }).forUpdate().first('status');
    if (found.status === 'cancelled') throw conflict('申请人已撤回这件申请，无需再确认');
    if (found.status !== 'pending') {
      if (found.status === answer) return { ...found, repeated: true, over: FINAL_STATUSES.includes(application.status) };
      throw conflict(`您已经${found.status === 'accepted' ? '同意' : '拒绝'}，不能更改`);
    }
    // The process's timer fires at `expires_at` (its `confirmBy`): from that instant on the case is over.
    if (found.expires_at.getTime() <= now.getTime()) throw conflict(`确认期限（${shanghaiMinute(found.expires_at)}）已过，申请已终止`);
    const over = overReason(application.status);
    if (over) throw conflict(over);
    await trx('confirmations').where({ token }).update({ status: answer, answered_at: now });
    await addEvent(trx, now, found.application_id, {
      kind: 'confirmation',
      message: `${found.role}${found.name ?? ''}${accept ? '已确认同意' : '不同意'}`,
      data: { accepted: accept },
    });
    await deps.audit.append(
      {
        actor: principal.id,
        action: 'application.confirmed',
        entityType: 'application',
        entityId: found.application_id,
        data: { accepted: accept },
      },
      trx,
    );
    return { ...found, repeated: false, over: false };
  });
  // Published again on a repeated answer (a server stopped right after the commit did not lose it), unless the case is over.
  if (!row.over)
    await deps.engine.publishMessage({
      name: 'second-party-confirmed',
      correlationKey: row.application_id,
      variables: { accepted: accept, pauses: await pausesOf(deps.knex, row.application_id, now) },
      messageId: `confirmation-${token}`,
      timeToLiveMs: 24 * 60 * 60_000,
    });
  return { applicationId: row.application_id, accepted: accept };
}

/** Why a case no longer takes an answer, in the second party's words; null while it still waits for one. */
function overReason(status: ApplicationStatus): string | null {
  switch (status) {
    case 'withdrawn':
      return '申请人已撤回这件申请，无需再确认';
    case 'closed':
      return '确认期限已过，申请已终止';
    case 'approved':
    case 'rejected':
      return '这件申请已作出决定，无需再确认';
    default:
      return null;
  }
}

/**
 * The instant the second party must answer by, decided once at submission: the confirmation refuses a later answer,
 * the process's timer (`confirmBy`) closes the case at it, and the notice states it. Rounded up to the minute, so
 * that the time the notice shows is the instant itself.
 */
export function confirmationDeadline(
  calendar: WorkingCalendar,
  within: NonNullable<MatterAction['secondParty']>['confirmWithin'],
  now: Date,
): Date {
  const due =
    within.unit === 'calendar-day'
      ? new Date(now.getTime() + within.value * 86_400_000)
      : computeTimeLimit(calendar, { start: now, days: within.value, unit: within.unit, now }).dueDate;
  return new Date(Math.ceil(due.getTime() / 60_000) * 60_000);
}

/** A withdrawn case's pending confirmation is cancelled: no longer listed to the second party, and refused if answered. */
export async function cancelPendingConfirmation(trx: Knex | Knex.Transaction, applicationId: string, now: Date): Promise<void> {
  await trx('confirmations').where({ application_id: applicationId, status: 'pending' }).update({ status: 'cancelled', answered_at: now });
}

/** An instant as a Chinese reader expects it: Beijing time, to the minute (`2026-12-10 16:11（北京时间）`). */
export function shanghaiMinute(instant: Date): string {
  return `${new Date(instant.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')}（北京时间）`;
}
