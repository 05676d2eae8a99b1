import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ClusterState, FakeUserTask } from './cluster-state';

export interface RestCall {
  method: string;
  path: string;
  body: any;
}

type Reply = { status: number; body?: unknown };

/** Camunda cuts a long variable value in a search answer and marks it truncated. */
const TRUNCATE_AT = 256;

/** A `/v2` filter: the value, `{$in}`, `{$exists}`, `{$lt}` (dates, numbers) or `{$gte}` (numbers). */
function matches(filter: unknown, value: unknown): boolean {
  if (filter === undefined) return true;
  if (filter && typeof filter === 'object') {
    const f = filter as { $in?: unknown[]; $exists?: boolean; $lt?: string | number; $gte?: number };
    if (f.$in && !f.$in.includes(value)) return false;
    if (f.$exists !== undefined && (value !== undefined && value !== null) !== f.$exists) return false;
    if (f.$lt !== undefined && typeof f.$lt === 'number' && !(typeof value === 'number' && value < f.$lt)) return false;
    if (f.$lt !== undefined && typeof f.$lt === 'string' && !(typeof value === 'string' && new Date(value) < new Date(f.$lt))) return false;
    if (f.$gte !== undefined && !(typeof value === 'number' && value >= f.$gte)) return false;
    return true;
  }
  return filter === value;
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return 1;
  if (b === undefined || b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : 1;
}

/** A page from `page.from` or after the opaque cursor `page.after` (here the position, encoded), with its end cursor. */
function page(items: unknown[], request: any) {
  const after = request?.page?.after;
  const start = after ? Number(Buffer.from(after, 'base64url').toString()) : (request?.page?.from ?? 0);
  const shown = items.slice(start, start + (request?.page?.limit ?? 100));
  return {
    items: shown,
    page: { totalItems: items.length, endCursor: shown.length ? Buffer.from(String(start + shown.length)).toString('base64url') : null },
  };
}
const problem = (status: number, detail: string): Reply => ({
  status,
  body: { type: 'about:blank', title: 'INVALID_STATE', status, detail },
});

/**
 * The Orchestration Cluster REST API (`/v2`) of the fake cluster on loopback: the user-task calls the worklist makes
 * (search, assignment, unassignment, update, completion) and the reads of instances, variables, incidents and process
 * definitions. Every request is recorded.
 */
export class FakeRest {
  readonly calls: RestCall[] = [];
  /** Called when a user task is completed, with the completion's variables: the test's broker goes on from there. */
  onCompleted?: (task: FakeUserTask, variables: Record<string, unknown>) => void;
  /** Called before each request is answered: a test's way to let another user act in between. */
  onRequest?: (call: RestCall) => void;
  address = '';
  private server!: http.Server;
  private readonly variables = new Map<string, { instanceKey: string; name: string }>();

  constructor(private readonly state: ClusterState) {}

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      let text = '';
      req.on('data', (chunk) => (text += chunk));
      req.on('end', () => {
        const body = text ? JSON.parse(text) : undefined;
        const path = (req.url ?? '').replace(/\?.*$/, '');
        const call = { method: req.method!, path, body };
        this.calls.push(call);
        this.onRequest?.(call);
        const reply = this.route(req.method!, path, body);
        res.writeHead(reply.status, reply.body === undefined ? {} : { 'content-type': 'application/json' });
        res.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.address = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  requests(method: string, pattern: RegExp): RestCall[] {
    return this.calls.filter((c) => c.method === method && pattern.test(c.path));
  }

  private route(method: string, path: string, body: any): Reply {
    const { state } = this;
    const task = (key: string) => state.userTasks.find((t) => t.userTaskKey === key);
    let m: RegExpExecArray | null;
    if (method === 'GET' && path === '/v2/topology')
      return { status: 200, body: { brokers: [], clusterSize: 1, partitionsCount: 1, replicationFactor: 1, gatewayVersion: '8.8.0' } };
    if (method === 'POST' && path === '/v2/user-tasks/search')
      return { status: 200, body: page(this.searchTasks(body?.filter ?? {}, body?.sort ?? []), body) };
    if ((m = /^\/v2\/user-tasks\/(\d+)\/assignment$/.exec(path)) && method === 'POST') {
      const t = task(m[1]);
      if (!t) return problem(404, `no user task ${m[1]}`);
      if (t.state !== 'CREATED') return problem(409, `user task ${m[1]} is ${t.state}`);
      if (t.assignee && t.assignee !== body.assignee && body.allowOverride === false)
        return problem(409, `user task ${m[1]} is assigned to ${t.assignee}`);
      t.assignee = body.assignee;
      return { status: 204 };
    }
    if ((m = /^\/v2\/user-tasks\/(\d+)\/assignee$/.exec(path)) && method === 'DELETE') {
      const t = task(m[1]);
      if (!t) return problem(404, `no user task ${m[1]}`);
      delete t.assignee;
      return { status: 204 };
    }
    if ((m = /^\/v2\/user-tasks\/(\d+)\/completion$/.exec(path)) && method === 'POST') {
      const t = task(m[1]);
      if (!t) return problem(404, `no user task ${m[1]}`);
      if (t.state !== 'CREATED') return problem(409, `user task ${m[1]} is ${t.state}`);
      t.state = 'COMPLETED';
      t.completionDate = new Date().toISOString();
      this.onCompleted?.(t, body?.variables ?? {});
      return { status: 204 };
    }
    if ((m = /^\/v2\/user-tasks\/(\d+)\/form$/.exec(path)) && method === 'GET') {
      const t = task(m[1]);
      const form = state.resources.find((r) => r.kind === 'form' && r.key === t?.formKey);
      return form
        ? { status: 200, body: { formKey: form.key, formId: form.id, version: form.version, schema: {} } }
        : problem(404, 'no form');
    }
    if ((m = /^\/v2\/user-tasks\/(\d+)$/.exec(path)) && method === 'PATCH') {
      const t = task(m[1]);
      if (!t) return problem(404, `no user task ${m[1]}`);
      if (body?.changeset?.candidateGroups) t.candidateGroups = body.changeset.candidateGroups;
      if (typeof body?.changeset?.priority === 'number') t.priority = body.changeset.priority;
      return { status: 204 };
    }
    if ((m = /^\/v2\/variables\/(\d+)$/.exec(path)) && method === 'GET') {
      const v = this.variables.get(m[1]);
      const value = v && state.instances.get(v.instanceKey)?.variables[v.name];
      return v
        ? { status: 200, body: { variableKey: m[1], name: v.name, value: JSON.stringify(value), scopeKey: v.instanceKey } }
        : problem(404, 'no variable');
    }
    if (method === 'POST' && path === '/v2/variables/search')
      return { status: 200, body: page(this.searchVariables(body?.filter ?? {}), body) };
    if ((m = /^\/v2\/process-instances\/(\d+)$/.exec(path)) && method === 'GET') {
      const i = state.instances.get(m[1]);
      if (!i) return problem(404, `no process instance ${m[1]}`);
      return {
        status: 200,
        body: {
          processInstanceKey: i.key,
          processDefinitionId: i.bpmnProcessId,
          processDefinitionVersion: i.version,
          processDefinitionKey: i.definitionKey,
          state: i.state,
          hasIncident: state.incidents.some((n) => n.processInstanceKey === i.key),
          startDate: i.startDate,
          endDate: i.endDate,
          parentProcessInstanceKey: i.parentKey,
          tenantId: '<default>',
        },
      };
    }
    if (method === 'POST' && path === '/v2/process-instances/search') {
      const f = body?.filter ?? {};
      const found = [...state.instances.values()]
        .filter((i) => matches(f.processInstanceKey, i.key) && matches(f.processDefinitionId, i.bpmnProcessId))
        .map((i) => ({
          processInstanceKey: i.key,
          processDefinitionId: i.bpmnProcessId,
          processDefinitionVersion: i.version,
          processDefinitionKey: i.definitionKey,
          state: i.state,
          startDate: i.startDate,
          endDate: i.endDate,
          parentProcessInstanceKey: i.parentKey,
          tenantId: '<default>',
        }));
      return { status: 200, body: page(found, body) };
    }
    if (method === 'POST' && path === '/v2/element-instances/search') {
      const i = state.instances.get(body?.filter?.processInstanceKey);
      return { status: 200, body: page(i?.activeElements ?? [], body) };
    }
    if (method === 'POST' && path === '/v2/incidents/search') {
      const f = body?.filter ?? {};
      return {
        status: 200,
        body: page(
          state.incidents.filter((n) => matches(f.processInstanceKey, n.processInstanceKey)),
          body,
        ),
      };
    }
    if ((m = /^\/v2\/incidents\/(\d+)$/.exec(path)) && method === 'GET') {
      const n = state.incidents.find((x) => x.incidentKey === m![1]);
      return n ? { status: 200, body: n } : problem(404, `no incident ${m[1]}`);
    }
    if (method === 'POST' && path === '/v2/process-definitions/search') {
      const f = body?.filter ?? {};
      const found = state.resources
        .filter((r) => r.kind === 'bpmn')
        .filter((r) => matches(f.processDefinitionId, r.id) && matches(f.resourceName, r.name) && matches(f.version, r.version))
        .map((r) => ({
          processDefinitionKey: r.key,
          processDefinitionId: r.id,
          version: r.version,
          resourceName: r.name,
          tenantId: '<default>',
        }));
      return { status: 200, body: page(found, body) };
    }
    return problem(404, `${method} ${path} is not served by the fake cluster`);
  }

  private searchTasks(filter: any, sort: { field: string; order?: string }[]): unknown[] {
    const variablesOf = (key: string) => this.state.instances.get(key)?.variables ?? {};
    const found = this.state.userTasks.filter(
      (t) =>
        matches(filter.userTaskKey, t.userTaskKey) &&
        matches(filter.state, t.state) &&
        matches(filter.assignee, t.assignee) &&
        matches(filter.dueDate, t.dueDate) &&
        matches(filter.priority, t.priority ?? 50) &&
        (filter.candidateGroup === undefined || t.candidateGroups.some((g) => matches(filter.candidateGroup, g))) &&
        (filter.processInstanceVariables ?? []).every(
          (v: { name: string; value: string }) => JSON.stringify(variablesOf(t.processInstanceKey)[v.name]) === v.value,
        ),
    );
    for (const { field, order } of [...sort].reverse()) {
      const value = (t: FakeUserTask) => (field === 'priority' ? (t.priority ?? 50) : (t as any)[field]);
      found.sort((a, b) => compare(value(a), value(b)) * (order === 'DESC' ? -1 : 1));
    }
    return found.map((t) => ({ ...t, tenantId: '<default>', processDefinitionVersion: 1, priority: t.priority ?? 50, customHeaders: {} }));
  }

  private searchVariables(filter: any): unknown[] {
    const items: unknown[] = [];
    for (const instance of this.state.instances.values()) {
      if (!matches(filter.processInstanceKey, instance.key) || !matches(filter.scopeKey, instance.key)) continue;
      for (const [name, value] of Object.entries(instance.variables)) {
        const text = JSON.stringify(value);
        if (!matches(filter.name, name) || !matches(filter.value, text)) continue;
        const truncated = text.length > TRUNCATE_AT;
        items.push({
          variableKey: this.variableKey(instance.key, name),
          name,
          value: truncated ? text.slice(0, TRUNCATE_AT) : text,
          isTruncated: truncated,
          scopeKey: instance.key,
          processInstanceKey: instance.key,
          tenantId: '<default>',
        });
      }
    }
    return items;
  }

  private variableKey(instanceKey: string, name: string): string {
    const known = [...this.variables].find(([, v]) => v.instanceKey === instanceKey && v.name === name);
    if (known) return known[0];
    const key = this.state.nextKey();
    this.variables.set(key, { instanceKey, name });
    return key;
  }
}
