import { createRequire } from 'node:module';
import path from 'node:path';
import type { Plugin } from 'vite';
import { CAMUNDA_LINT_CONFIG } from '../server/deployments/bpmn-linter';
import { APPROVALS_RULE_CATEGORIES, APPROVALS_RULE_SET } from '../server/deployments/rules/index';

const require = createRequire(import.meta.url);
const compileConfig = require('bpmnlint/lib/support/compile-config') as (config: unknown) => Promise<string>;

export const LINT_CONFIG_MODULE = 'virtual:bpmnlint-config';
const RESOLVED = '\0' + LINT_CONFIG_MODULE;
const RULES_DIR = path.resolve(import.meta.dirname, '..', 'server', 'deployments', 'rules');

/** The lint config of the server's deployment check (recommended, camunda-compat 8.8 and ours), as the server has it. */
export const MODELER_LINT_CONFIG = {
  extends: CAMUNDA_LINT_CONFIG,
  rules: Object.fromEntries(
    Object.entries(APPROVALS_RULE_CATEGORIES).map(([rule, category]) => [`${APPROVALS_RULE_SET}/${rule}`, category]),
  ),
};

/**
 * Packs the lint config for the browser as bpmnlint's own packer does: every rule imported into the bundle, served
 * by a resolver that needs no `require`. Our rules come from server/deployments/rules, named as the plugin
 * `bpmnlint-plugin-approvals`.
 */
export function bpmnlintConfig(): Plugin {
  return {
    name: 'approvals:bpmnlint-config',
    enforce: 'pre',
    resolveId(id) {
      if (id === LINT_CONFIG_MODULE) return RESOLVED;
      const rule = id.match(new RegExp(`^bpmnlint-plugin-${APPROVALS_RULE_SET}/rules/([a-z-]+)$`));
      if (rule) return path.join(RULES_DIR, `${rule[1]}.ts`);
      return undefined;
    },
    load(id) {
      if (id === RESOLVED) return compileConfig(MODELER_LINT_CONFIG);
      return undefined;
    },
  };
}
