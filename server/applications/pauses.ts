import type { Knex } from 'knex';

export interface Pause {
  from: string;
  to: string;
  kind: 'correction' | 'confirmation' | 'suspension';
  reason?: string;
}

const PAUSING = { returned: 'correction', awaiting_confirmation: 'confirmation' } as const;
const ENDING = ['corrections', 'confirmation'];

/**
 * The periods the deadline clock stood still, from the timeline: from a return for corrections until the corrections
 * came, from the request for the second party's confirmation until their answer, and from a suspension (中止) until
 * the case resumed. One still open ends `now` (it is ending: its answer is being sent). The `deadline` worker reads them
 * as the `pauses` variable (JOBS.md).
 */
export async function pausesOf(knex: Knex | Knex.Transaction, applicationId: string, now: Date): Promise<Pause[]> {
  const events: { at: Date; kind: string; status: string | null; data: { reason?: string } | null }[] = await knex('application_events')
    .where({ application_id: applicationId })
    .orderBy(['at', 'id'])
    .select('at', 'kind', 'status', 'data');
  const pauses: Pause[] = [];
  let open: { from: Date; kind: Pause['kind']; reason?: string } | undefined;
  const close = (to: Date) => {
    // A pause opened after `to` (the answer came before the process recorded that it waits for it: a race between the
    // status job and the request) stood still for no time at all: none is recorded.
    if (open && to.getTime() > open.from.getTime())
      pauses.push({
        from: open.from.toISOString(),
        to: to.toISOString(),
        kind: open.kind,
        ...(open.reason ? { reason: open.reason } : {}),
      });
    open = undefined;
  };
  for (const event of events) {
    const at = new Date(event.at);
    if (event.kind === 'suspension') {
      close(at);
      open = { from: at, kind: 'suspension', reason: event.data?.reason };
    } else if (open?.kind === 'suspension') {
      if (event.kind === 'resumption') close(at);
    } else if (event.kind === 'status' && event.status && event.status in PAUSING) {
      if (!open) open = { from: at, kind: PAUSING[event.status as keyof typeof PAUSING] };
    } else if (open && (ENDING.includes(event.kind) || (event.kind === 'status' && event.status))) close(at);
  }
  close(now);
  return pauses;
}
