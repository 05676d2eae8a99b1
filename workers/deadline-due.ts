import { z } from 'zod';
import { computeTimeLimit, type TimeLimit } from '../server/calendar/time-limit';
import type { MatterCatalog } from '../server/matters/catalog';
import { ACTIONS, type ActionId, type MatterAction, type TimeLimitSpec } from '../server/matters/schema';
import { formatPath } from '../server/matters/data-file';

const instant = z.iso.datetime({ offset: true });

/** The process variables the `deadline` job reads (shared/JOBS.md); others pass by. */
export const deadlineVariablesSchema = z.looseObject({
  matterSlug: z.string().optional(),
  action: z.string().optional(),
  timeLimitDays: z.number().int().min(1).max(365).optional(),
  /** Required, except in a designer's sandbox try-it, where it defaults to now. */
  submittedAt: instant.optional(),
  sandbox: z.boolean().optional(),
  /** Acceptance (受理) when it came after submission: the limit counts from it. */
  acceptedAt: instant.optional(),
  pauses: z
    .array(
      z.object({
        from: instant,
        to: instant.nullish(),
        kind: z.enum(['correction', 'confirmation', 'suspension']).optional(),
        reason: z.string().optional(),
      }),
    )
    .default([]),
  extensions: z
    .array(z.object({ days: z.number().int().min(1).max(60), reason: z.string().optional(), approvedBy: z.string().optional() }))
    .default([]),
});

export const deadlineHeadersSchema = z.looseObject({
  /** A fixed limit for this task, e.g. the statutory 5 working days to accept. */
  timeLimitDays: z
    .string()
    .regex(/^[1-9]\d{0,2}$/, 'a whole number of working days')
    .optional(),
  /** Which of the matter's limits the task counts: the promised one (default) or the legal one. */
  timeLimit: z.enum(['promised', 'legal']).optional(),
});

export type DeadlineOutcome = { ok: true; dueDate: string; warnAt: string; detail: TimeLimit } | { ok: false; problem: string };

/** `dueDate` and `warnAt` (80% of the time) from the limit, acceptance, pauses so far and extensions; recomputed in full each time. */
export function dueDateForJob(variables: unknown, headers: unknown, matters: MatterCatalog, now: Date): DeadlineOutcome {
  const vars = deadlineVariablesSchema.safeParse(variables);
  if (!vars.success) return { ok: false, problem: `deadline variables: ${describe(vars.error)}` };
  const head = deadlineHeadersSchema.safeParse(headers);
  if (!head.success) return { ok: false, problem: `deadline headers: ${describe(head.error)}` };
  const v = vars.data;

  let spec: MatterAction | undefined;
  if (v.matterSlug !== undefined || v.action !== undefined) {
    const matter = v.matterSlug ? matters.get(v.matterSlug) : undefined;
    if (!matter) return { ok: false, problem: `no matter "${v.matterSlug ?? ''}" in the catalog` };
    spec = ACTIONS.includes(v.action as ActionId) ? matter.actions[v.action as ActionId] : undefined;
    if (!spec) return { ok: false, problem: `matter ${matter.slug} has no action "${v.action ?? ''}"` };
  }
  const fixed = head.data.timeLimitDays ? Number(head.data.timeLimitDays) : v.timeLimitDays;
  const limit: TimeLimitSpec | undefined =
    fixed !== undefined
      ? { value: fixed, unit: 'working-day' }
      : head.data.timeLimit === 'legal'
        ? spec?.legalTimeLimit
        : spec?.promisedTimeLimit;
  if (!limit) return { ok: false, problem: 'no time limit: set matterSlug and action, or timeLimitDays' };

  if (spec && !spec.suspensionAllowed && v.pauses.some((p) => p.kind === 'suspension')) {
    return { ok: false, problem: `${v.matterSlug} ${v.action} allows no suspension (中止), yet a pause of kind suspension was recorded` };
  }
  const extensionDays = v.extensions.reduce((sum, e) => sum + e.days, 0);
  if (spec && extensionDays > (spec.extension.allowed ? spec.extension.maxDays! : 0)) {
    const allowed = spec.extension.allowed ? `at most ${spec.extension.maxDays} days` : 'no extension';
    return { ok: false, problem: `extensions of ${extensionDays} days, but ${v.matterSlug} ${v.action} allows ${allowed}` };
  }

  const accepted = v.acceptedAt ?? v.submittedAt ?? (v.sandbox ? now.toISOString() : undefined);
  if (!accepted) return { ok: false, problem: 'submittedAt: the submission time is missing' };
  const start = new Date(accepted);
  const pauses = v.pauses.map((p) => ({ from: new Date(p.from), to: p.to ? new Date(p.to) : undefined }));
  const bad = pauses.find((p) => p.to && p.to < p.from);
  if (bad) return { ok: false, problem: `a pause ends (${bad.to!.toISOString()}) before it starts (${bad.from.toISOString()})` };
  const detail = computeTimeLimit(matters.calendar, { start, days: limit.value, unit: limit.unit, pauses, extensionDays, now });
  return { ok: true, dueDate: detail.dueDate.toISOString(), warnAt: detail.warnAt.toISOString(), detail };
}

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ');
}
