import type { Principal } from '../auth/principal';
import { conflict } from '../errors';
import { applyChanges } from './drafts';
import { pausesOf } from './pauses';
import { addEvent, loadApplication, specOf, type ApplicationDeps } from './store';

export interface Corrections {
  form?: Record<string, unknown>;
}

/**
 * The applicant's corrections after a return (`POST /applications/{id}/corrections`): the changed fields (materials
 * are re-uploaded beforehand through the materials call), then the `corrections-submitted` message the process waits
 * for. Only while the application is `returned`.
 */
export async function submitCorrections(deps: ApplicationDeps, principal: Principal, id: string, corrections: Corrections) {
  const now = deps.clock.now();
  const round = await deps.knex.transaction(async (trx) => {
    const row = await loadApplication(trx, principal, id, { forUpdate: true, ownerOnly: true });
    if (row.status !== 'returned') throw conflict(`只有退回补正的申请可以提交补正，这件申请的状态是"${row.status}"`);
    const { spec } = specOf(deps.matters, row);
    const form = applyChanges(spec, row.form, corrections.form ?? {}, 'body.form');
    const rounds = await trx('application_events').where({ application_id: id, kind: 'corrections' }).count<{ n: string }[]>('id as n');
    const n = Number(rounds[0].n) + 1;
    await trx('applications')
      .where({ id })
      .update({ form: JSON.stringify(form), updated_at: now });
    await addEvent(trx, now, id, {
      kind: 'corrections',
      message: `提交补正（第${n}次）${corrections.form ? `：修改${Object.keys(corrections.form).length}项` : ''}`,
      data: { fields: Object.keys(corrections.form ?? {}) },
    });
    await deps.audit.append(
      {
        actor: principal.id,
        action: 'application.corrected',
        entityType: 'application',
        entityId: id,
        data: { round: n, fields: Object.keys(corrections.form ?? {}) },
      },
      trx,
    );
    return { n, pauses: await pausesOf(trx, id, now) };
  });
  // Buffered when the process is not yet waiting for it (it is still sending the notice of return).
  await deps.engine.publishMessage({
    name: 'corrections-submitted',
    correlationKey: id,
    variables: { correctionsRound: round.n, pauses: round.pauses },
    messageId: `corrections-${id}-${round.n}`,
    timeToLiveMs: 60 * 60_000,
  });
  return { id, status: 'returned' as const, round: round.n };
}
