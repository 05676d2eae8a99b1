import type { Knex } from 'knex';
import type { Clock } from '../clock';
import { shanghaiDate } from '../calendar/local-date';

/** A due date the `deadline` job worked out for a case (JOBS.md), as the timeline keeps it. */
export interface DeadlineSet {
  applicationId: string;
  jobKey: string;
  elementId: string;
  dueDate: string;
  warnAt: string;
}

/**
 * Puts the due date on the application's timeline (kind `deadline`), once per job: what the figures count deadline
 * breaches from on any engine (Zeebe keeps no task rows of ours), and what the applicant reads as the time limit.
 */
export async function recordDeadline(knex: Knex, clock: Clock, deadline: DeadlineSet): Promise<void> {
  await knex.transaction(async (trx) => {
    // A process started for no application of ours (an engine test's) has no timeline to keep it on.
    const application = await trx('applications').where({ id: deadline.applicationId }).first('id');
    if (!application) return;
    const seen = await trx('application_events').where({ application_id: deadline.applicationId, job_key: deadline.jobKey }).first('id');
    if (seen) return;
    await trx('application_events').insert({
      application_id: deadline.applicationId,
      at: clock.now(),
      kind: 'deadline',
      status: null,
      message: `办理期限至${shanghaiDate(new Date(deadline.dueDate))}`,
      data: JSON.stringify({ dueDate: deadline.dueDate, warnAt: deadline.warnAt, task: deadline.elementId }),
      job_key: deadline.jobKey,
    });
  });
}
