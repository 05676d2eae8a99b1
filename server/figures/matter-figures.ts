import type { Knex } from 'knex';
import { AppError } from '../errors';
import type { MatterCatalog } from '../matters/catalog';
import { dayNumber, isLocalDate, startOfDay, shanghaiDate } from '../calendar/local-date';

const HOUR_MS = 3_600_000;

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : null;
const round = (n: number | null, digits = 2) => (n === null ? null : Math.round(n * 10 ** digits) / 10 ** digits);

/**
 * The figures of `GET /api/v1/metrics` per matter for the applications submitted in a period (Beijing dates, both
 * ends included): volumes, the share decided with no person, prefill and exemption ratios, submit-to-decision p50
 * and p90 in hours, returns for correction, deadline breaches (clerk tasks finished or still open past their due
 * date) and the busiest hours of submission. Computed from the data, not kept as counters.
 */
export async function matterFigures(knex: Knex, matters: MatterCatalog, period: { from?: string; to?: string }, now: Date) {
  const to = period.to ?? shanghaiDate(now);
  const from = period.from ?? shanghaiDate(new Date(now.getTime() - 30 * 24 * HOUR_MS));
  for (const [name, value] of Object.entries({ from, to }))
    if (!isLocalDate(value))
      throw new AppError(400, 'VALIDATION_FAILED', `${name} 应为 YYYY-MM-DD`, [{ field: `query.${name}`, message: 'a date YYYY-MM-DD' }]);
  if (from > to) throw new AppError(400, 'VALIDATION_FAILED', 'from 不能晚于 to', [{ field: 'query.from', message: 'after to' }]);
  const start = startOfDay(dayNumber(from));
  const end = startOfDay(dayNumber(to) + 1);

  const rows: {
    id: string;
    matter_slug: string;
    status: string;
    submitted_at: Date;
    decided_at: Date | null;
    prefill_ratio: number | null;
    exemption_ratio: number | null;
  }[] = await knex('applications')
    .where('sandbox', false)
    .where('submitted_at', '>=', start)
    .where('submitted_at', '<', end)
    .select('id', 'matter_slug', 'status', 'submitted_at', 'decided_at', 'prefill_ratio', 'exemption_ratio');
  const ids = rows.map((r) => r.id);
  const automatic = new Set<string>(
    ids.length
      ? await knex('audit_log')
          .where({ action: 'application.decided', entity_type: 'application' })
          .whereIn('entity_id', ids)
          .whereRaw(`(data->'basis'->>'automatic')::boolean = true`)
          .pluck('entity_id')
      : [],
  );
  const returns = new Map<string, number>();
  const breaches = new Map<string, number>();
  if (ids.length) {
    for (const r of await knex('application_events')
      .whereIn('application_id', ids)
      .where({ kind: 'status', status: 'returned' })
      .select('application_id'))
      returns.set(r.application_id, (returns.get(r.application_id) ?? 0) + 1);
    const late = await knex('tasks')
      .whereIn('application_id', ids)
      .whereNotNull('due_date')
      .where((w) =>
        w
          .where((x) => x.where('state', 'completed').whereRaw('completed_at > due_date'))
          .orWhere((x) => x.where('state', 'created').where('due_date', '<', now)),
      )
      .select('application_id');
    for (const r of late) breaches.set(r.application_id, (breaches.get(r.application_id) ?? 0) + 1);
  }

  const figures = matters.list().map((matter) => {
    const mine = rows.filter((r) => r.matter_slug === matter.slug);
    const decided = mine.filter((r) => r.decided_at);
    const durations = decided
      .map((r) => (new Date(r.decided_at!).getTime() - new Date(r.submitted_at).getTime()) / HOUR_MS)
      .sort((a, b) => a - b);
    const mean = (values: (number | null)[]) => {
      const known = values.filter((v): v is number => v !== null);
      return known.length ? known.reduce((s, v) => s + v, 0) / known.length : null;
    };
    const hours = new Array(24).fill(0);
    for (const r of mine) hours[(new Date(r.submitted_at).getUTCHours() + 8) % 24]++;
    const autoApproved = mine.filter((r) => r.status === 'approved' && automatic.has(r.id)).length;
    return {
      matter: matter.slug,
      matterName: matter.name,
      applications: mine.length,
      decided: decided.length,
      autoApproved,
      autoApprovalRate: round(decided.length ? autoApproved / decided.length : null, 3),
      prefillRatio: round(mean(mine.map((r) => r.prefill_ratio)), 3),
      exemptionRatio: round(mean(mine.map((r) => r.exemption_ratio)), 3),
      submitToDecisionHours: { p50: round(percentile(durations, 50), 3), p90: round(percentile(durations, 90), 3) },
      returns: mine.reduce((n, r) => n + (returns.get(r.id) ?? 0), 0),
      deadlineBreaches: mine.reduce((n, r) => n + (breaches.get(r.id) ?? 0), 0),
      busiestHours: hours,
    };
  });
  return { from, to, matters: figures };
}
