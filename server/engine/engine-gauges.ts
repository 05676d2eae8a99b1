import type { Knex } from 'knex';
import type { Metrics } from '../metrics';

/** The engine's figures for `/metrics`, read from the database at each scrape (so they hold for every engine node). */
export function registerEngineGauges(metrics: Metrics, knex: Knex): void {
  metrics.gauge('engine_jobs', 'Jobs not yet finished, by type and state', ['type', 'state'], async () => {
    const rows = await knex('jobs')
      .whereIn('state', ['activatable', 'activated', 'failed'])
      .groupBy('type', 'state')
      .select('type', 'state')
      .count('key as n');
    return rows.map((r: any) => ({ labels: { type: r.type, state: r.state }, value: Number(r.n) }));
  });
  metrics.gauge('worklist_open_tasks', 'User tasks waiting for a person, by candidate group', ['group'], async () => {
    const rows = await knex.raw(`select unnest(candidate_groups) as "group", count(*) as n from tasks where state = 'created' group by 1`);
    return rows.rows.map((r: any) => ({ labels: { group: r.group }, value: Number(r.n) }));
  });
  metrics.gauge('engine_process_instances', 'Process instances by state (active and with an incident)', ['state'], async () => {
    const rows = await knex('process_instances')
      .whereIn('state', ['active', 'incident'])
      .groupBy('state')
      .select('state')
      .count('key as n');
    return rows.map((r: any) => ({ labels: { state: r.state }, value: Number(r.n) }));
  });
  metrics.gauge('engine_open_incidents', 'Incidents waiting for an administrator', [], async () => {
    const [row] = await knex('incidents').where({ state: 'open' }).count('key as n');
    return [{ value: Number(row.n) }];
  });
}
