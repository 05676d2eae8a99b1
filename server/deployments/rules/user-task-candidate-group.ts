import type { LintRule } from '../bpmn-linter';
import { extensionOf } from './zeebe';

/** A user task reaches a worklist only through a candidate group (a department's clerks or approvers, JOBS.md). */
export default function userTaskCandidateGroup(): LintRule {
  return {
    check(node, reporter) {
      if (!node.$instanceOf('bpmn:UserTask')) return;
      const groups = String(extensionOf(node, 'zeebe:AssignmentDefinition')?.candidateGroups ?? '').trim();
      if (!groups) {
        reporter.report(node.id!, 'A user task needs a candidate group (e.g. "health" or "health-chief") to reach a worklist', [
          'extensionElements',
        ]);
      }
    },
  };
}
