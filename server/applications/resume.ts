import QRCode from 'qrcode';
import type { Principal } from '../auth/principal';
import { normalizeResumeCode } from './resume-code';
import { addEvent, loadApplication, maySee, noSuchApplication, type ApplicationDeps, type ApplicationRow } from './store';
import { applicationView } from './view';

/**
 * The "one code" (办事码, `GET /resume/{code}`): the application behind it, for its owner on any channel, or for a
 * clerk of the matter's department at the counter, which the audit log and the timeline record. Anyone else: 404.
 */
export async function resume(deps: ApplicationDeps, principal: Principal, typedCode: string) {
  const code = normalizeResumeCode(typedCode);
  const row = (await deps.knex<ApplicationRow>('applications').where({ resume_code: code }).first()) as ApplicationRow | undefined;
  if (!row || !maySee(principal, row)) throw noSuchApplication(typedCode);
  if (row.applicant_id !== principal.id) {
    const now = deps.clock.now();
    await deps.knex.transaction(async (trx) => {
      await addEvent(trx, now, row.id, {
        kind: 'resumed',
        message: `${principal.name}凭办事码调取了申请（窗口）`,
        data: { by: principal.id },
      });
      await deps.audit.append(
        {
          actor: principal.id,
          action: 'application.resumed-by-code',
          entityType: 'application',
          entityId: row.id,
          data: { channel: 'counter' },
        },
        trx,
      );
    });
  }
  return applicationView(deps.knex, deps.matters, row);
}

/** The resume code drawn as a QR code (PNG), for a kiosk or a counter scanner to read. */
export async function resumeCodeImage(deps: ApplicationDeps, principal: Principal, id: string): Promise<Buffer> {
  const row = await loadApplication(deps.knex, principal, id);
  return QRCode.toBuffer(row.resume_code, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 8 });
}
