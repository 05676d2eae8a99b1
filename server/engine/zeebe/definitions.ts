import type { Knex } from 'knex';
import type { Zeebe } from '@camunda8/sdk';
import { notFound } from '../../errors';
import type { Logger } from '../../log';
import type { DeployableResource } from '../port';
import type { OrchestrationApi } from './rest';

/**
 * `<id>.v<platform version>.<kind>`. Zeebe takes a redeployed resource for a duplicate of the latest only when both its
 * name and its content match, so each platform version is exactly one Zeebe version, whatever was deployed before.
 */
export const resourceName = (resource: Pick<DeployableResource, 'id' | 'version' | 'kind'>) =>
  `${resource.id}.v${resource.version}.${resource.kind}`;

const PLATFORM_VERSION = /\.v(\d+)\.bpmn$/;

const GRPC_INVALID_ARGUMENT = 3;
const GRPC_FAILED_PRECONDITION = 9;
const GRPC_UNAVAILABLE = 14;

/** Zeebe's answer to resources it will not take (invalid BPMN, DMN or form; a rejected command): not a network fault. */
export const isRefusal = (error: unknown): boolean => {
  const code = (error as { code?: number })?.code;
  return code === GRPC_INVALID_ARGUMENT || code === GRPC_FAILED_PRECONDITION;
};

interface Deployed {
  process?: { bpmnProcessId: string; version: number; resourceName: string };
  form?: { formId: string; formKey: string };
}

interface ProcessDefinition {
  processDefinitionKey: string;
  processDefinitionId: string;
  version: number;
  resourceName: string;
}

/** The platform's versions (the `resources` table) deployed to the cluster, and the Zeebe version of each. */
export class ZeebeDefinitions {
  private readonly zeebeVersions = new Map<string, number>();
  private readonly platformVersions = new Map<string, number>();
  /** Form key → form id: a user task names its form by key. */
  readonly formIds = new Map<string, string>();

  constructor(
    private readonly grpc: Zeebe.ZeebeGrpcClient,
    private readonly api: OrchestrationApi,
    private readonly knex: Knex,
  ) {}

  /** One DeployResource call: Zeebe takes the resources of a deployment all or none. */
  async deploy(resources: DeployableResource[]): Promise<void> {
    if (!resources.length) return;
    const response = await this.grpc.deployResources(
      resources.map((r) => {
        const name = resourceName(r);
        const content = Buffer.from(r.content, 'utf8');
        return r.kind === 'bpmn' ? { name, process: content } : r.kind === 'dmn' ? { name, decision: content } : { name, form: content };
      }),
    );
    // The SDK answers null when the client closed while it retried.
    if (!response) throw Object.assign(new Error('the connection to the cluster closed'), { code: GRPC_UNAVAILABLE });
    for (const deployment of response.deployments as Deployed[]) {
      if (deployment.process) this.remember(deployment.process.bpmnProcessId, deployment.process.version, deployment.process.resourceName);
      if (deployment.form) this.formIds.set(deployment.form.formKey, deployment.form.formId);
    }
  }

  /**
   * The latest platform version of every resource, deployed again at start (what was deployed while the engine was
   * not started reaches the cluster now): in one call, and when Zeebe refuses that, resource by resource, so one it
   * refuses is logged by name and the others are deployed. A cluster that does not answer is thrown.
   */
  async deployLatest(log: Logger): Promise<{ deployed: number; refused: string[] }> {
    const rows = await this.knex('resources as r')
      .whereRaw('r.version = (select max(version) from resources x where x.kind = r.kind and x.resource_id = r.resource_id)')
      .orderBy(['r.kind', 'r.resource_id'])
      .select('r.key', 'r.kind', 'r.resource_id as id', 'r.version', 'r.content');
    const resources: DeployableResource[] = rows.map((r: any) => ({
      key: String(r.key),
      kind: r.kind,
      id: r.id,
      version: r.version,
      content: r.content,
    }));
    try {
      await this.deploy(resources);
      return { deployed: resources.length, refused: [] };
    } catch (error) {
      if (!isRefusal(error)) throw error;
    }
    const refused: string[] = [];
    for (const resource of resources) {
      try {
        await this.deploy([resource]);
      } catch (error) {
        if (!isRefusal(error)) throw error;
        refused.push(resourceName(resource));
        log.error('the Camunda 8 cluster refused a resource; the cluster keeps running its earlier version', {
          resource: resourceName(resource),
          reason: (error as { details?: string }).details ?? (error as Error).message,
        });
      }
    }
    return { deployed: resources.length - refused.length, refused };
  }

  /** The Zeebe version of a platform version of a process. */
  async zeebeVersion(processId: string, platformVersion: number): Promise<number> {
    const known = this.zeebeVersions.get(`${processId}@${platformVersion}`);
    if (known !== undefined) return known;
    const name = resourceName({ id: processId, version: platformVersion, kind: 'bpmn' });
    const [found] = (
      await this.api.search<ProcessDefinition>('process-definitions', {
        filter: { processDefinitionId: processId, resourceName: name },
        // A deployment that reached the cluster after the platform gave up on it carries the same name: the newest is ours.
        sort: [{ field: 'version', order: 'DESC' }],
      })
    ).items;
    if (!found) throw notFound(`process ${processId} version ${platformVersion} on the cluster`);
    this.remember(processId, found.version, found.resourceName);
    return found.version;
  }

  /** The platform version of a Zeebe version; the Zeebe version itself for a definition deployed outside the platform. */
  async platformVersion(processId: string, zeebeVersion: number): Promise<number> {
    const known = this.platformVersions.get(`${processId}#${zeebeVersion}`);
    if (known !== undefined) return known;
    const [found] = (
      await this.api.search<ProcessDefinition>('process-definitions', { filter: { processDefinitionId: processId, version: zeebeVersion } })
    ).items;
    if (!found) return zeebeVersion;
    return this.remember(processId, zeebeVersion, found.resourceName) ?? zeebeVersion;
  }

  private remember(processId: string, zeebeVersion: number, name: string): number | undefined {
    const match = PLATFORM_VERSION.exec(name);
    if (!match) return undefined;
    const platformVersion = Number(match[1]);
    this.zeebeVersions.set(`${processId}@${platformVersion}`, zeebeVersion);
    this.platformVersions.set(`${processId}#${zeebeVersion}`, platformVersion);
    return platformVersion;
  }
}
