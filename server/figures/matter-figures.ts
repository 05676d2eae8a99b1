import type { Knex } from 'knex';
import { AppError } from '../errors';
import type { MatterCatalog } from '../matters/catalog';
import { dayNumber, isLocalDate, startOfDay, shanghaiDate } from '../calendar/local-date';
import { breachedCases, type TimelineEvent } from './deadline-breaches';

const HOUR_MS = 3_600_000;

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : null;
const round = (n: number | null, digits = 2) => (n === null ? null : Math.round(n * 10 ** digits) / 10 ** digits);

/**
 * The figures of `GET /api/v1/metrics` per matter for the applications submitted in a period (Beijing dates, both
 * ends included): volumes, the share decided with no person, prefill and exemption ratios, submit-to-decision p50
 * and p90 in hours, returns for correction, deadline breaches (cases past a due date while in the clerks' hands) and
 * the busiest hours of submission. Computed from the data, not kept as counters.
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
    fields_total: number | null;
    fields_prefilled: number | null;
    material_list: { exemptBecause?: unknown }[] | null;
  }[] = await knex('applications')
    .where('sandbox', false)
    .where('submitted_at', '>=', start)
    .where('submitted_at', '<', end)
    .select('id', 'matter_slug', 'status', 'submitted_at', 'decided_at', 'fields_total', 'fields_prefilled', 'material_list');
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
  let breached = new Set<string>();
  if (ids.length) {
    for (const r of await knex('application_events')
      .whereIn('application_id', ids)
      .where({ kind: 'status', status: 'returned' })
      .select('application_id'))
      returns.set(r.application_id, (returns.get(r.application_id) ?? 0) + 1);
    const timeline: TimelineEvent[] = await knex('application_events')
      .whereIn('application_id', ids)
      .where((w) =>
        w
          .whereIn('kind', ['deadline', 'suspension', 'extension-requested'])
          .orWhere((x) => x.where('kind', 'status').whereNotNull('status')),
      )
      .orderBy(['application_id', 'at', 'id'])
      .select('application_id', 'at', 'kind', 'status', 'data');
    breached = breachedCases(timeline, now);
  }
  const figures = matters.list().map((matter) => {
    const mine = rows.filter((r) => r.matter_slug === matter.slug);
    const decided = mine.filter((r) => r.decided_at);
    const durations = decided
      .map((r) => (new Date(r.decided_at!).getTime() - new Date(r.submitted_at).getTime()) / HOUR_MS)
      .sort((a, b) => a - b);
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    const fieldsTotal = sum(mine.map((r) => r.fields_total ?? 0));
    const materials = mine.flatMap((r) => r.material_list ?? []);
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
      // Over the period's applications together: prefilled fields / all fields, exempted materials / all materials.
      prefillRatio: round(fieldsTotal ? sum(mine.map((r) => r.fields_prefilled ?? 0)) / fieldsTotal : null, 3),
      exemptionRatio: round(materials.length ? materials.filter((m) => m.exemptBecause).length / materials.length : null, 3),
      submitToDecisionHours: { p50: round(percentile(durations, 50), 3), p90: round(percentile(durations, 90), 3) },
      returns: mine.reduce((n, r) => n + (returns.get(r.id) ?? 0), 0),
      deadlineBreaches: mine.filter((r) => breached.has(r.id)).length,
      busiestHours: hours,
    };
  });
  return { from, to, matters: figures };
}
