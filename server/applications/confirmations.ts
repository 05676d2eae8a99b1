import type { Principal } from '../auth/principal';
import { AppError, conflict } from '../errors';
import { pausesOf } from './pauses';
import { addEvent, type ApplicationDeps } from './store';

interface ConfirmationRow {
  token: string;
  application_id: string;
  role: string;
  id_number: string;
  name: string | null;
  status: 'pending' | 'accepted' | 'declined';
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
    if (found.status !== 'pending') {
      if (found.status === answer) return { ...found, repeated: true };
      throw conflict(`您已经${found.status === 'accepted' ? '同意' : '拒绝'}，不能更改`);
    }
    if (found.expires_at.getTime() <= now.getTime()) throw conflict('确认期限已过，申请已终止');
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
    return { ...found, repeated: false };
  });
  // Published again on a repeated answer too: a server stopped right after the commit did not lose the message.
  await deps.engine.publishMessage({
    name: 'second-party-confirmed',
    correlationKey: row.application_id,
    variables: { accepted: accept, pauses: await pausesOf(deps.knex, row.application_id, now) },
    messageId: `confirmation-${token}`,
    timeToLiveMs: 24 * 60 * 60_000,
  });
  return { applicationId: row.application_id, accepted: accept };
}
