import QRCode from 'qrcode';
import type { Principal } from '../auth/principal';
import { normalizeResumeCode } from './resume-code';
import { addEvent, loadApplication, maySee, noSuchApplication, type ApplicationDeps, type ApplicationRow } from './store';
import { applicationView } from './view';

/**
 * The "one code" (办事码, `GET /resume/{code}`): the application behind it, for its owner on any channel, or for a
 * clerk of the matter's department at the counter, which the audit log and the timeline record. Anyone else: 404.
 * A draft a clerk resumes moves to the counter: that clerk may then fill, upload and submit it on the applicant's
 * behalf, as for a draft made there (`servesAtCounter`); the applicant keeps it too.
 */
export async function resume(deps: ApplicationDeps, principal: Principal, typedCode: string) {
  const code = normalizeResumeCode(typedCode);
  let row = (await deps.knex<ApplicationRow>('applications').where({ resume_code: code }).first()) as ApplicationRow | undefined;
  if (!row || !maySee(principal, row)) throw noSuchApplication(typedCode);
  if (row.applicant_id !== principal.id) {
    const seen = row;
    const takesOver = seen.status === 'draft' && principal.roles.includes('clerk') && principal.department === seen.department;
    const now = deps.clock.now();
    row = await deps.knex.transaction(async (trx) => {
      let current = seen;
      if (takesOver) {
        const [updated] = await trx('applications')
          .where({ id: seen.id, status: 'draft' })
          .update({ channel: 'counter', created_by: principal.id, updated_at: now })
          .returning('*');
        current = (updated as ApplicationRow | undefined) ?? seen;
      }
      const movedToCounter = current.created_by === principal.id && current.status === 'draft';
      await addEvent(trx, now, seen.id, {
        kind: 'resumed',
        message: `${principal.name}凭办事码调取了申请（窗口）${movedToCounter ? '，转为窗口代办' : ''}`,
        data: { by: principal.id, counter: movedToCounter },
      });
      await deps.audit.append(
        {
          actor: principal.id,
          action: 'application.resumed-by-code',
          entityType: 'application',
          entityId: seen.id,
          data: { channel: 'counter', onBehalfOf: movedToCounter ? seen.applicant_id : undefined },
        },
        trx,
      );
      return current;
    });
  }
  return applicationView(deps.knex, deps.matters, row);
}

/** The resume code drawn as a QR code (PNG), for a kiosk or a counter scanner to read. */
export async function resumeCodeImage(deps: ApplicationDeps, principal: Principal, id: string): Promise<Buffer> {
  const row = await loadApplication(deps.knex, principal, id);
  return QRCode.toBuffer(row.resume_code, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 8 });
}
