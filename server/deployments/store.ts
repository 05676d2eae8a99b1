import type { Knex } from 'knex';
import type { DeployedResource, ResourceKind, ResourceSummary } from './types';

interface ResourceRow {
  key: string | number;
  deployment_key: string | number;
  kind: ResourceKind;
  resource_id: string;
  version: number;
  name: string | null;
  file_name: string;
  checksum: string;
  content: string;
  source_path: string | null;
  created_at: Date | string;
}

export type NewResource = Omit<DeployedResource, 'key' | 'createdAt' | 'unchanged'> & { sourcePath: string | null };

// One advisory lock for all deployment writes: deployments are rare, and it keeps version numbers gap-free and unique.
const DEPLOYMENT_LOCK = 7_150_001;

const iso = (value: Date | string): string => new Date(value).toISOString();

function toResource(row: ResourceRow): DeployedResource {
  return {
    key: String(row.key),
    kind: row.kind,
    id: row.resource_id,
    version: Number(row.version),
    name: row.name,
    fileName: row.file_name,
    checksum: row.checksum.trim(),
    content: row.content,
    deploymentKey: String(row.deployment_key),
    createdAt: iso(row.created_at),
  };
}

/** The SQL of deployments: the `deployments`, `resources` and `repository_files` tables. */
export class ResourceStore {
  constructor(private readonly knex: Knex) {}

  async latest(kind: ResourceKind, id: string, db: Knex | Knex.Transaction = this.knex): Promise<DeployedResource | undefined> {
    const row = await db<ResourceRow>('resources').where({ kind, resource_id: id }).orderBy('version', 'desc').first();
    return row && toResource(row);
  }

  async get(kind: ResourceKind, id: string, version: number): Promise<DeployedResource | undefined> {
    const row = await this.knex<ResourceRow>('resources').where({ kind, resource_id: id, version }).first();
    return row && toResource(row);
  }

  async byKey(key: string): Promise<DeployedResource | undefined> {
    if (!/^\d{1,18}$/.test(key)) return undefined;
    const row = await this.knex<ResourceRow>('resources').where({ key }).first();
    return row && toResource(row);
  }

  /** Each resource id once, with its newest version; the most recently deployed first. */
  async list(kind: ResourceKind): Promise<ResourceSummary[]> {
    const result = await this.knex.raw(
      `select r.resource_id, r.name, r.version, r.deployment_key, r.created_at, v.versions
         from resources r
         join (select resource_id, max(version) as version, array_agg(version order by version desc) as versions
                 from resources where kind = ? group by resource_id) v
           on v.resource_id = r.resource_id and v.version = r.version
        where r.kind = ?
        order by r.created_at desc, r.key desc`,
      [kind, kind],
    );
    return (result.rows as (ResourceRow & { versions: number[] | string })[]).map((row) => ({
      id: row.resource_id,
      name: row.name,
      version: Number(row.version),
      versions: parseVersions(row.versions),
      deploymentKey: String(row.deployment_key),
      deployedAt: iso(row.created_at),
    }));
  }

  /** Source path → checksum of what that repository file last deployed. */
  async repositoryChecksums(): Promise<Map<string, string>> {
    const rows = await this.knex('repository_files').select('source_path', 'checksum');
    return new Map(rows.map((row: { source_path: string; checksum: string }) => [row.source_path, row.checksum.trim()]));
  }

  async lock(trx: Knex.Transaction): Promise<void> {
    await trx.raw('select pg_advisory_xact_lock(?)', [DEPLOYMENT_LOCK]);
  }

  async insertDeployment(trx: Knex.Transaction, actor: string, source: 'api' | 'repository'): Promise<{ key: string; createdAt: string }> {
    const [row] = await trx('deployments').insert({ deployed_by: actor, source }).returning(['key', 'created_at']);
    return { key: String(row.key), createdAt: iso(row.created_at) };
  }

  async insertResource(trx: Knex.Transaction, resource: NewResource): Promise<DeployedResource> {
    const [row] = await trx<ResourceRow>('resources')
      .insert({
        deployment_key: resource.deploymentKey,
        kind: resource.kind,
        resource_id: resource.id,
        version: resource.version,
        name: resource.name,
        file_name: resource.fileName,
        checksum: resource.checksum,
        content: resource.content,
        source_path: resource.sourcePath,
      })
      .returning('*');
    return toResource(row as ResourceRow);
  }

  async recordRepositoryFile(trx: Knex.Transaction, sourcePath: string, checksum: string, deploymentKey: string): Promise<void> {
    await trx('repository_files')
      .insert({ source_path: sourcePath, checksum, deployment_key: deploymentKey, deployed_at: trx.fn.now() })
      .onConflict('source_path')
      .merge();
  }
}

function parseVersions(value: number[] | string): number[] {
  const list = Array.isArray(value) ? value : String(value).replace(/[{}]/g, '').split(',');
  return list.map(Number);
}
