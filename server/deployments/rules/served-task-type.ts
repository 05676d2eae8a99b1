import type { LintRule } from '../bpmn-linter';
import { SERVED_JOB_TYPES } from './job-types';
import { jobTypeOf } from './zeebe';

export interface ServedTaskTypeConfig {
  /** The job types workers serve; JOBS.md's table when absent. */
  types?: readonly string[];
}

/**
 * A job worker element (service, send, script or business rule task, message throw event) whose job type no worker
 * serves: its instances would wait for ever. A missing type is camunda-compat's to report; an expression type is
 * known only at run time.
 */
export default function servedTaskType(config: ServedTaskTypeConfig = {}): LintRule {
  const served = new Set(config.types?.length ? config.types : SERVED_JOB_TYPES);
  const known = [...served].join(', ');
  return {
    check(node, reporter) {
      if (!node.$instanceOf('bpmn:FlowElement')) return;
      const type = jobTypeOf(node);
      if (!type || type.startsWith('=')) return;
      if (!served.has(type)) {
        reporter.report(node.id!, `No worker serves the job type "${type}"; the served types are: ${known}`, ['extensionElements']);
      }
    },
  };
}
