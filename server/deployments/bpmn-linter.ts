import { createRequire } from 'node:module';
import type { ModdleElement } from './moddle';

export interface LintReporter {
  report(id: string, message: string, path?: string[] | Record<string, unknown>): void;
}

type Visit = (node: ModdleElement, reporter: LintReporter) => boolean | void;

/** A bpmnlint rule: `check` is called for every element of the parsed file. */
export interface LintRule {
  check: Visit | { enter?: Visit; leave?: Visit };
}

export type LintRuleFactory = (config?: unknown) => LintRule;

/** Our own bpmnlint rules, run with the standard ones; reports come back named `<name>/<rule>`. */
export interface LintRuleSet {
  name: string;
  rules: Record<string, { category: 'error' | 'warn'; create: LintRuleFactory }>;
}

export interface LintReport {
  rule: string;
  category: 'error' | 'warn' | 'info' | 'rule-error';
  elementId?: string;
  message: string;
}

interface Resolver {
  resolveRule(pkg: string, ruleName: string): unknown;
  resolveConfig(pkg: string, configName: string): unknown;
}

interface BpmnlintLinter {
  lint(root: ModdleElement): Promise<Record<string, { id?: string; message: string; category: LintReport['category'] }[]>>;
  resolveRules(config: unknown): Promise<unknown>;
}

type LinterConstructor = new (options: { config: unknown; resolver: Resolver }) => BpmnlintLinter;

// bpmnlint is CommonJS and finds its plugins by require(): resolve them from here, not from the working directory.
const require = createRequire(import.meta.url);
const { Linter } = require('bpmnlint') as { Linter: LinterConstructor };
const NodeResolver = require('bpmnlint/lib/resolver/node-resolver') as new (options: { require: NodeRequire }) => Resolver;

export const CAMUNDA_LINT_CONFIG = ['bpmnlint:recommended', 'plugin:camunda-compat/camunda-cloud-8-8'];

/**
 * The linter for Camunda 8.8 files. Rule modules load once (warm) and stay in the require cache; each file gets a
 * fresh bpmnlint Linter because rules such as no-duplicate-sequence-flows keep what they saw in the rule instance,
 * and a shared Linter reports a second file's flows as duplicates of the first's.
 */
export class BpmnLinter {
  private readonly resolver: Resolver;
  private readonly config: { extends: string[]; rules: Record<string, string> };

  constructor(extraRules?: LintRuleSet) {
    const nodeResolver = new NodeResolver({ require });
    const extraPackage = extraRules && `bpmnlint-plugin-${extraRules.name}`;
    this.resolver = {
      resolveRule: (pkg, ruleName) => {
        if (extraRules && pkg === extraPackage) {
          const entry = extraRules.rules[ruleName];
          if (!entry) throw new Error(`no rule <${ruleName}> in <${extraRules.name}>`);
          return entry.create;
        }
        return nodeResolver.resolveRule(pkg, ruleName);
      },
      resolveConfig: (pkg, configName) => nodeResolver.resolveConfig(pkg, configName),
    };
    const rules: Record<string, string> = {};
    for (const [ruleName, { category }] of Object.entries(extraRules?.rules ?? {})) rules[`${extraRules!.name}/${ruleName}`] = category;
    this.config = { extends: CAMUNDA_LINT_CONFIG, rules };
  }

  /** Loads every rule module now: a broken install shows at start, and the first deployment does not pay for it. */
  async warm(): Promise<void> {
    await new Linter({ config: this.config, resolver: this.resolver }).resolveRules(this.config);
  }

  async lint(definitions: ModdleElement): Promise<LintReport[]> {
    const results = await new Linter({ config: this.config, resolver: this.resolver }).lint(definitions);
    const reports: LintReport[] = [];
    for (const [rule, list] of Object.entries(results)) {
      for (const report of list) {
        const message = report.category === 'rule-error' ? `lint rule failed on this file: ${report.message}` : report.message;
        reports.push({ rule, category: report.category, elementId: report.id, message });
      }
    }
    return reports;
  }
}
