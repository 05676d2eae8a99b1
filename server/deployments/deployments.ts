import type { Knex } from 'knex';
import type { AuditLog } from '../audit/audit-log';
import { AppError } from '../errors';
import type { Logger } from '../log';
import type { LintRuleSet } from './bpmn-linter';
import { Checker, type Inspection } from './checker';
import { deployRepository } from './repository';
import { ResourceStore } from './store';
import type {
  CheckReport,
  DeployedListener,
  DeployedResource,
  DeploymentDelivery,
  DeployFile,
  DeployOptions,
  Problem,
  ResourceKind,
  ResourceSummary,
} from './types';

export type { LintRule, LintRuleFactory, LintRuleSet, LintReporter } from './bpmn-linter';
export type * from './types';

export interface DeploymentResult {
  key: string;
  resources: DeployedResource[];
  warnings: Problem[];
}

/**
 * Processes, decisions and forms: checked as one set, delivered to an engine that must take them before they count
 * (a cluster), stored as versions, announced to the engine after commit.
 */
export class Deployments {
  private readonly knex: Knex;
  private readonly audit: AuditLog;
  private readonly log: Logger;
  private readonly checker: Checker;
  private readonly store: ResourceStore;
  private readonly listeners: DeployedListener[] = [];
  private readonly deliveries: DeploymentDelivery[] = [];

  constructor(options: { knex: Knex; audit: AuditLog; log: Logger; extraRules?: LintRuleSet }) {
    this.knex = options.knex;
    this.audit = options.audit;
    this.log = options.log;
    this.checker = new Checker(options.extraRules);
    this.store = new ResourceStore(options.knex);
  }

  /** Parses and lints everything; writes nothing. */
  async check(files: DeployFile[]): Promise<CheckReport> {
    return (await this.checker.inspect(files)).report;
  }

  /** All files or none, in one transaction. Throws 400 DEPLOYMENT_INVALID with every error as details. */
  async deploy(files: DeployFile[], actor: string, options: DeployOptions = {}): Promise<DeploymentResult> {
    const inspection = await this.checker.inspect(files, { limitFiles: options.source !== 'repository' });
    if (!inspection.report.ok) throw invalid(inspection.report);
    return this.write(inspection, actor, options);
  }

  /** Deploys the files under `dir` whose content differs from what that file last deployed (JOBS.md). */
  async deployRepository(dir: string): Promise<{ deployed: string[]; unchanged: string[] }> {
    return deployRepository(dir, {
      warm: () => this.checker.warm(),
      checksums: () => this.store.repositoryChecksums(),
      deploy: (files, sourcePaths) => this.deploy(files, 'system', { source: 'repository', sourcePaths }),
    });
  }

  latest(kind: ResourceKind, id: string): Promise<DeployedResource | undefined> {
    return this.store.latest(kind, id);
  }

  get(kind: ResourceKind, id: string, version: number): Promise<DeployedResource | undefined> {
    return this.store.get(kind, id, version);
  }

  byKey(key: string): Promise<DeployedResource | undefined> {
    return this.store.byKey(key);
  }

  list(kind: ResourceKind): Promise<ResourceSummary[]> {
    return this.store.list(kind);
  }

  /** Called after each commit that made new versions, with those versions only. */
  onDeployed(listener: DeployedListener): void {
    this.listeners.push(listener);
  }

  /** Called with the new versions before their deployment commits; a throw rolls it back and is its answer. */
  deliverTo(delivery: DeploymentDelivery): void {
    this.deliveries.push(delivery);
  }

  private async write(inspection: Inspection, actor: string, options: DeployOptions): Promise<DeploymentResult> {
    const source = options.source ?? 'api';
    const sourcePaths = options.sourcePaths ?? {};
    const { key, resources } = await this.knex.transaction(async (trx) => {
      await this.store.lock(trx);
      const deployment = await this.store.insertDeployment(trx, actor, source);
      const resources: DeployedResource[] = [];
      for (const file of inspection.report.files) {
        const content = inspection.texts.get(file.file)!;
        const checksum = file.checksum!;
        const sourcePath = sourcePaths[file.file] ?? null;
        for (const candidate of file.resources) {
          const latest = await this.store.latest(candidate.kind, candidate.id, trx);
          if (latest && latest.checksum === checksum) {
            resources.push({ ...latest, unchanged: true });
            continue;
          }
          resources.push(
            await this.store.insertResource(trx, {
              ...candidate,
              deploymentKey: deployment.key,
              version: (latest?.version ?? 0) + 1,
              fileName: file.file,
              checksum,
              content,
              sourcePath,
            }),
          );
        }
        if (sourcePath) await this.store.recordRepositoryFile(trx, sourcePath, checksum, deployment.key);
      }
      await this.audit.append(
        {
          actor,
          action: 'deployment.created',
          entityType: 'deployment',
          entityId: deployment.key,
          data: {
            source,
            resources: resources.map((r) => ({
              kind: r.kind,
              id: r.id,
              version: r.version,
              fileName: r.fileName,
              checksum: r.checksum,
              ...(r.unchanged ? { unchanged: true } : {}),
            })),
          },
        },
        trx,
      );
      const fresh = resources.filter((r) => !r.unchanged);
      if (fresh.length) for (const deliver of this.deliveries) await deliver(fresh);
      return { key: deployment.key, resources };
    });
    const fresh = resources.filter((r) => !r.unchanged);
    this.log.info('deployment created', {
      key,
      actor,
      source,
      resources: resources.map((r) => `${r.kind}:${r.id}:${r.version}${r.unchanged ? ' (unchanged)' : ''}`),
    });
    if (fresh.length) await this.announce(fresh);
    return { key, resources, warnings: inspection.report.warnings };
  }

  private async announce(resources: DeployedResource[]): Promise<void> {
    for (const listener of this.listeners) {
      try {
        await listener(resources);
      } catch (error) {
        // The versions are committed: a listener's failure is the listener's to report, not the deployment's.
        this.log.error('deployment listener failed', { error, resources: resources.map((r) => `${r.kind}:${r.id}:${r.version}`) });
      }
    }
  }
}

function invalid(report: CheckReport): AppError {
  const files = new Set(report.errors.map((e) => e.file).filter(Boolean));
  const first = report.errors[0];
  const where = first.file ? `${first.file}${first.elementId ? ` (${first.elementId})` : ''}: ` : '';
  const summary = `${report.errors.length} problem${report.errors.length === 1 ? '' : 's'}${files.size ? ` in ${[...files].join(', ')}` : ''}`;
  return new AppError(400, 'DEPLOYMENT_INVALID', `Nothing was deployed: ${summary}. First: ${where}${first.message}`, report.errors);
}
