import type { Principal } from '../auth/principal';
import { conflict } from '../errors';
import { cancelPendingConfirmation } from './confirmations';
import { recordStatus } from './status-record';
import { FINAL_STATUSES } from './statuses';
import { loadApplication, type ApplicationDeps } from './store';

/**
 * The applicant withdraws before a decision (`POST /applications/{id}/withdraw`): the status becomes `withdrawn`
 * first, which no worker can move again, then a second party's pending confirmation and the process instance are
 * cancelled. Withdrawing twice answers the same.
 */
export async function withdraw(deps: ApplicationDeps, principal: Principal, id: string): Promise<{ id: string; status: 'withdrawn' }> {
  const row = await loadApplication(deps.knex, principal, id, { ownerOnly: true });
  if (row.status === 'withdrawn') return { id, status: 'withdrawn' };
  if (FINAL_STATUSES.includes(row.status)) throw conflict(`这件申请已办结（${row.status}），不能撤回`);
  const result = await recordStatus(deps.knex, deps.audit, deps.clock, {
    applicationId: id,
    status: 'withdrawn',
    actor: principal.id,
    note: '申请人撤回申请',
  });
  if (result === 'final') throw conflict('这件申请刚刚已作出决定，不能撤回');
  await cancelPendingConfirmation(deps.knex, id, deps.clock.now());
  if (row.process_instance_key) {
    const instance = await deps.engine.getInstance(String(row.process_instance_key));
    if (instance?.state === 'active' || instance?.state === 'incident')
      await deps.engine.cancelInstance(String(row.process_instance_key), principal.id);
  }
  // A withdrawn case is closed: archived now, since its process (which archives the others) was cancelled.
  await deps
    .archive(id)
    .catch((error) =>
      deps.log.error('withdrawn case not archived; archived at the next start', { applicationId: id, error: String(error) }),
    );
  return { id, status: 'withdrawn' };
}
