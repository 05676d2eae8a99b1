import type { LintRule } from '../bpmn-linter';
import { ARCHIVE_JOB_TYPE, SHARED_PROCESS_PREFIX } from './job-types';
import { flowElementsDeep, jobTypeOf } from './zeebe';

/** Every matter process archives its case (ARCHITECTURE.md "Trust"); shared `common-` sub-processes need not. */
export default function matterArchiveStep(): LintRule {
  return {
    check(node, reporter) {
      if (!node.$instanceOf('bpmn:Process') || !node.isExecutable) return;
      if (String(node.id ?? '').startsWith(SHARED_PROCESS_PREFIX)) return;
      for (const element of flowElementsDeep(node)) {
        if (jobTypeOf(element) === ARCHIVE_JOB_TYPE) return;
      }
      reporter.report(node.id!, `A matter process must archive the case: add a service task of type "${ARCHIVE_JOB_TYPE}"`);
    },
  };
}
