import lintModule from 'bpmn-js-bpmnlint';
import 'bpmn-js-bpmnlint/dist/assets/css/bpmn-js-bpmnlint.css';
import lintBundle from 'virtual:bpmnlint-config';

/** Lint while drawing with the config of the server's deployment check (packed by modeler/lint-config.ts). */
export const lintingConfig = { bpmnlint: lintBundle, active: true };

export { lintModule };

export type LintCategory = 'error' | 'warn' | 'info' | 'rule-error';

export interface LintIssue {
  elementId: string;
  rule: string;
  category: LintCategory;
  message: string;
}

type LintResults = Record<string, { id?: string; message: string; category: LintCategory }[]>;

/** bpmnlint's results keyed by rule, as one list, errors first. */
export function flattenLintResults(results: LintResults): LintIssue[] {
  const issues = Object.entries(results).flatMap(([rule, reports]) =>
    reports.map((report) => ({ elementId: report.id ?? '', rule, category: report.category, message: report.message })),
  );
  const rank = (category: LintCategory) => (category === 'error' || category === 'rule-error' ? 0 : category === 'warn' ? 1 : 2);
  return issues.sort((a, b) => rank(a.category) - rank(b.category));
}

export const isError = (issue: { category: LintCategory }) => issue.category === 'error' || issue.category === 'rule-error';
