import type { LintRuleSet } from '../bpmn-linter';
import matterArchiveStep from './matter-archive-step';
import servedTaskType, { type ServedTaskTypeConfig } from './served-task-type';
import userTaskCandidateGroup from './user-task-candidate-group';

/**
 * Our own bpmnlint rules, one module each (a bpmnlint rule factory as default export). The server runs them through
 * `new Deployments({ extraRules: approvalsLintRules() })`; the modeler bundles the same modules as the plugin
 * `bpmnlint-plugin-approvals` (modeler/lint-config.ts), so drawing and deploying report alike.
 */
export const APPROVALS_RULE_SET = 'approvals';

export const APPROVALS_RULE_CATEGORIES = {
  'served-task-type': 'error',
  'user-task-candidate-group': 'error',
  'matter-archive-step': 'error',
} as const;

export interface ApprovalsLintOptions {
  /** The job types the running workers serve; JOBS.md's table when absent. */
  jobTypes?: readonly string[];
}

export function approvalsLintRules(options: ApprovalsLintOptions = {}): LintRuleSet {
  const typeConfig: ServedTaskTypeConfig = { types: options.jobTypes };
  const c = APPROVALS_RULE_CATEGORIES;
  return {
    name: APPROVALS_RULE_SET,
    rules: {
      'served-task-type': { category: c['served-task-type'], create: () => servedTaskType(typeConfig) },
      'user-task-candidate-group': { category: c['user-task-candidate-group'], create: userTaskCandidateGroup },
      'matter-archive-step': { category: c['matter-archive-step'], create: matterArchiveStep },
    },
  };
}
