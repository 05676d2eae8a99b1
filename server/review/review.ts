import type { Knex } from 'knex';
import { DecisionError } from '../engine/dmn/decisions';
import type { ApplicationRow } from '../applications/store';
import type { MatterCatalog } from '../matters/catalog';
import type { Registries } from '../registries';
import { reviewFacts } from '../../workers/review/facts';
import { loadReviewInput } from './review-input';
import type { ReviewTables } from './review-table';

export interface Finding {
  point: string;
  severity: 'block' | 'warn';
  message: string;
  /** The one form field key or material code the finding is about, when it is about one (JOBS.md). */
  field?: string;
}

/** JOBS.md `review`: passed when no finding blocks; the table version it was decided by. */
export interface ReviewResult {
  passed: boolean;
  findings: Finding[];
  tableVersion: number | null;
}

export interface ReviewDeps {
  knex: Knex;
  matters: MatterCatalog;
  registries: Registries;
  reviewTables: ReviewTables;
}

/** The point a finding names when the table itself could not decide: never passed, always to a clerk. */
export const TABLE_POINT = 'REVIEW-TABLE';

/**
 * Reviews an application against its matter's review points: computes the facts (workers/review/facts.ts), evaluates
 * the latest deployed review table over them, and says whether any finding blocks. A missing table, a rule that fails
 * to evaluate or an output that is not a finding blocks the case with the reason named: it goes to a clerk, it is
 * never approved on a table that could not decide.
 */
export async function reviewApplication(deps: ReviewDeps, row: ApplicationRow, now: Date): Promise<ReviewResult> {
  const facts = reviewFacts(await loadReviewInput(deps, row, now));
  const table = await deps.reviewTables.latest(row.matter_slug).catch((error: Error) => error);
  if (table instanceof Error || !table) {
    const why = table instanceof Error ? `审查规则表无法读取（${table.message}）` : '本事项尚未部署审查规则表';
    return { passed: false, findings: [{ point: TABLE_POINT, severity: 'block', message: `${why}，转人工审查` }], tableVersion: null };
  }
  let outputs: unknown;
  try {
    outputs = table.set.evaluate(table.decisionId, { facts });
  } catch (error) {
    const rule =
      error instanceof DecisionError && error.ruleId
        ? `规则 ${error.ruleId} `
        : error instanceof DecisionError && error.inputId
          ? `规则表的输入项 ${error.inputId} `
          : '规则';
    return {
      passed: false,
      findings: [{ point: TABLE_POINT, severity: 'block', message: `审查${rule}无法计算（${(error as Error).message}），转人工审查` }],
      tableVersion: table.version,
    };
  }
  const findings: Finding[] = (Array.isArray(outputs) ? outputs : outputs == null ? [] : [outputs]).map((output) => {
    const o = (output ?? {}) as Record<string, unknown>;
    const severity = o.severity === 'warn' ? 'warn' : 'block';
    if (typeof o.point !== 'string' || (o.severity !== 'warn' && o.severity !== 'block') || typeof o.message !== 'string') {
      return { point: TABLE_POINT, severity: 'block', message: `审查规则表的输出不是审查意见：${JSON.stringify(output)}，转人工审查` };
    }
    const field = typeof o.field === 'string' && o.field !== '' ? { field: o.field } : {};
    return { point: o.point, severity, message: o.message, ...field };
  });
  return { passed: !findings.some((f) => f.severity === 'block'), findings, tableVersion: table.version };
}
