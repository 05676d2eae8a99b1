import { FINAL_STATUSES } from '../applications/statuses';

/** The timeline events that bound the time a case spends against a due date. */
export interface TimelineEvent {
  application_id: string;
  at: Date | string;
  kind: string;
  status: string | null;
  data: { dueDate?: string } | null;
}

/** Where the clerks stop working against a due date: the clock stops (return, confirmation) or the case ends. */
const ENDING_STATUSES = new Set<string>(['returned', 'awaiting_confirmation', ...FINAL_STATUSES]);

/**
 * The cases that went past a due date while in the clerks' hands, from the timeline alone (so on any engine): each
 * due date the `deadline` job set counts until the next one replaces it, a suspension or an extension request
 * interrupts it, the clock stops for the applicant or a second party, or the case ends; a case still waiting against
 * it counts until `now`. A task overdue when a suspension or extension cancelled it is a breach too. Each case once.
 * `events` in order of application, then time.
 */
export function breachedCases(events: TimelineEvent[], now: Date): Set<string> {
  const breached = new Set<string>();
  let current: { applicationId: string; due: number } | undefined;
  const close = (end: number) => {
    if (current && end > current.due) breached.add(current.applicationId);
    current = undefined;
  };
  for (const event of events) {
    if (current && current.applicationId !== event.application_id) close(now.getTime());
    const at = new Date(event.at).getTime();
    if (event.kind === 'deadline') {
      close(at);
      const due = event.data?.dueDate ? new Date(event.data.dueDate).getTime() : NaN;
      if (!Number.isNaN(due)) current = { applicationId: event.application_id, due };
    } else if (event.kind === 'suspension' || event.kind === 'extension-requested' || (event.status && ENDING_STATUSES.has(event.status)))
      close(at);
  }
  close(now.getTime());
  return breached;
}
