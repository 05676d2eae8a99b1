import type { Knex } from 'knex';
import type { SerializableContext } from 'moddle-context-serializer';
import { notFound } from '../../errors';
import type { Variables } from '../../../workers/worker';
import { DecisionSet } from '../dmn/decisions';
import type { DeployableResource } from '../port';
import { compileBpmn } from './compiler';

export interface ProcessVersion {
  key: string;
  version: number;
}

const LATEST_FOR_MS = 10_000;

/** A deployed DMN file, as engine threads take it. */
export interface DecisionSource {
  id: string;
  version: number;
  content: string;
}

/** Deployed process versions compiled once, and the latest version of every decision. */
export class Definitions {
  private readonly compiled = new Map<string, Promise<SerializableContext>>();
  private readonly sources = new Map<string, Promise<string>>();
  private readonly decisions = new Map<string, { version: number; set: DecisionSet; source: DecisionSource }>();
  private readonly decisionListeners: ((sources: DecisionSource[]) => void)[] = [];
  /** The latest version per process id, told by each deployment; re-read after a while in case another node deployed. */
  private readonly latest = new Map<string, ProcessVersion & { readAt: number }>();

  constructor(private readonly knex: Knex) {}

  async deploy(resources: DeployableResource[]): Promise<void> {
    for (const resource of resources) {
      if (resource.kind === 'bpmn') {
        await this.bpmn(resource.key, resource.content);
        const known = this.latest.get(resource.id);
        if (!known || known.version <= resource.version)
          this.latest.set(resource.id, { key: resource.key, version: resource.version, readAt: Date.now() });
      }
      if (resource.kind === 'dmn') {
        const set = await DecisionSet.parse(resource.content);
        const current = this.decisions.get(resource.id);
        if (!current || current.version <= resource.version) {
          const source = { id: resource.id, version: resource.version, content: resource.content };
          this.decisions.set(resource.id, { version: resource.version, set, source });
          for (const listener of this.decisionListeners) listener([source]);
        }
      }
    }
  }

  /** The latest decisions now, then each newer one as it is deployed (engine threads keep copies). */
  followDecisions(listener: (sources: DecisionSource[]) => void): void {
    this.decisionListeners.push(listener);
    listener([...this.decisions.values()].map((d) => d.source));
  }

  async loadLatestDecisions(): Promise<void> {
    const latest = await this.knex('resources as r')
      .where('r.kind', 'dmn')
      .whereRaw('r.version = (select max(version) from resources x where x.kind = r.kind and x.resource_id = r.resource_id)')
      .select('r.key', 'r.resource_id as id', 'r.version', 'r.content');
    await this.deploy(latest.map((r: any) => ({ key: String(r.key), kind: 'dmn', id: r.id, version: r.version, content: r.content })));
  }

  bpmn(resourceKey: string, xml?: string): Promise<SerializableContext> {
    let compiled = this.compiled.get(resourceKey);
    if (!compiled) {
      compiled = this.source(resourceKey, xml).then(compileBpmn);
      compiled.catch(() => this.compiled.delete(resourceKey));
      this.compiled.set(resourceKey, compiled);
    }
    return compiled;
  }

  /** A deployed process version's XML. */
  source(resourceKey: string, xml?: string): Promise<string> {
    let source = this.sources.get(resourceKey);
    if (!source) {
      source = xml
        ? Promise.resolve(xml)
        : this.knex('resources')
            .where({ key: resourceKey })
            .first('content')
            .then((row) => {
              if (!row?.content) throw new Error(`no deployed resource ${resourceKey}`);
              return row.content as string;
            });
      source.catch(() => this.sources.delete(resourceKey));
      this.sources.set(resourceKey, source);
    }
    return source;
  }

  /** The version to start: the one asked for, else the latest. */
  async resolve(bpmnProcessId: string, version?: number): Promise<ProcessVersion> {
    const known = this.latest.get(bpmnProcessId);
    if (known && (!version || version === known.version) && Date.now() - known.readAt < LATEST_FOR_MS)
      return { key: known.key, version: known.version };
    const query = this.knex('resources').where({ kind: 'bpmn', resource_id: bpmnProcessId });
    const row = await (version ? query.andWhere({ version }) : query.orderBy('version', 'desc')).first('key', 'version');
    if (!row) throw notFound(`process ${bpmnProcessId}${version ? ` version ${version}` : ''}`);
    if (!version) this.latest.set(bpmnProcessId, { key: String(row.key), version: row.version, readAt: Date.now() });
    return { key: String(row.key), version: row.version };
  }

  evaluateDecision = (decisionId: string, variables: Variables): unknown => {
    const deployed = this.decisions.get(decisionId);
    if (!deployed) throw new Error(`no deployed decision ${decisionId}`);
    return deployed.set.evaluate(decisionId, variables);
  };
}
