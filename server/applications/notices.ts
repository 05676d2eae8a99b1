import { NOTICE_TEMPLATES, RECIPIENT_OF, type NoticeFacts } from '../../workers/notify/templates';
import type { NoticeRequest } from '../../workers/notify';
import { shanghaiMinute } from './confirmations';
import { addEvent, specOf, type ApplicationDeps, type ApplicationRow } from './store';

/**
 * Writes a notice to the outbox (`notifications`): one to the recipient's inbox on the platform and, where a mobile
 * number is known, one by SMS. A job that runs twice writes once (unique by job and recipient).
 */
export async function sendNotice(deps: ApplicationDeps, request: NoticeRequest): Promise<'sent' | 'unknown-application'> {
  const row = (await deps.knex('applications').where({ id: request.applicationId }).first()) as ApplicationRow | undefined;
  if (!row) return 'unknown-application';
  const { matter, spec } = specOf(deps.matters, row);
  const applicant = await deps.knex('users').where({ id: row.applicant_id }).first('display_name');
  const confirmation = await deps.knex('confirmations').where({ application_id: row.id }).first();
  const eligibility =
    request.template === 'not-eligible'
      ? await deps.knex('application_events').where({ application_id: row.id, kind: 'eligibility' }).orderBy('id', 'desc').first('data')
      : undefined;
  const facts: NoticeFacts = {
    matterName: matter.name,
    actionName: spec.name,
    caseNumber: row.case_number ?? '（未编号）',
    applicantName: applicant?.display_name ?? '申请人',
    role: confirmation?.role,
    confirmBy: confirmation ? shanghaiMinute(new Date(confirmation.expires_at)) : undefined,
    reasons: eligibility?.data?.ends ? (eligibility.data.reasons as string[]) : undefined,
  };
  const text = NOTICE_TEMPLATES[request.template](facts);
  const recipients: { recipient: string; channel: 'sms' | 'inbox' }[] = [];
  const phone = (key: string) => (typeof row.form[key]?.value === 'string' ? (row.form[key].value as string) : undefined);
  switch (RECIPIENT_OF[request.template]) {
    case 'applicant': {
      recipients.push({ recipient: `user:${row.applicant_id}`, channel: 'inbox' });
      const mobile = phone('contactPhone');
      if (mobile && /^1\d{10}$/.test(mobile)) recipients.push({ recipient: mobile, channel: 'sms' });
      break;
    }
    case 'second-party': {
      if (!confirmation) break;
      recipients.push({ recipient: `person:${confirmation.id_number}`, channel: 'inbox' });
      const mobile = spec.secondParty ? phone(spec.secondParty.idField.replace(/IdNumber$/, 'Mobile')) : undefined;
      if (mobile && /^1\d{10}$/.test(mobile)) recipients.push({ recipient: mobile, channel: 'sms' });
      break;
    }
    case 'department':
      recipients.push({ recipient: `group:${row.department}`, channel: 'inbox' });
      break;
  }
  const now = deps.clock.now();
  await deps.knex.transaction(async (trx) => {
    let wrote = 0;
    for (const r of recipients) {
      const inserted = await trx('notifications')
        .insert({
          application_id: row.id,
          template: request.template,
          recipient: r.recipient,
          channel: r.channel,
          text,
          created_at: now,
          job_key: request.jobKey,
        })
        .onConflict(trx.raw('(job_key, recipient) where job_key is not null'))
        .ignore()
        .returning('id');
      wrote += inserted.length;
    }
    if (wrote) await addEvent(trx, now, row.id, { kind: 'notice', message: `已发送通知：${text}`, data: { template: request.template } });
  });
  return 'sent';
}
