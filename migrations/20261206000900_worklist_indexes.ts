import type { Knex } from 'knex';

/**
 * What the worklist reads most (bench/worklist.ts): a department's open tasks by due date (the first page, `overdue`,
 * `matter`), the caller's own, the done ones newest first, and a department's cases newest first (the search by name).
 * Each lets the query walk in the order it returns and stop at the page, where it otherwise sorted every open task.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`create index tasks_open_by_due on tasks (due_date asc nulls last, key) where state = 'created' and sandbox = false`);
  await knex.raw(
    `create index tasks_open_by_assignee on tasks (assignee, due_date asc nulls last, key) where state = 'created' and sandbox = false`,
  );
  await knex.raw(`create index tasks_done_by_completion on tasks (completed_at desc) where state = 'completed' and sandbox = false`);
  await knex.raw(
    `create index applications_department_submitted on applications (department, submitted_at desc) where case_number is not null`,
  );
}
