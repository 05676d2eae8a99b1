import { EventEmitter } from 'node:events';

export interface DeployedResource {
  kind: 'bpmn' | 'dmn' | 'form';
  id: string;
  version: number;
  key: string;
  name: string;
  content: Buffer;
}

export interface FakeInstance {
  key: string;
  bpmnProcessId: string;
  version: number;
  definitionKey: string;
  variables: Record<string, unknown>;
  state: 'ACTIVE' | 'COMPLETED' | 'TERMINATED';
  startDate: string;
  endDate?: string;
  parentKey?: string;
  /** The element instances of the instance that are active now. */
  activeElements: { elementId: string; type: string }[];
}

export interface FakeUserTask {
  userTaskKey: string;
  processInstanceKey: string;
  processDefinitionId: string;
  elementId: string;
  name: string;
  state: 'CREATED' | 'COMPLETED' | 'CANCELED';
  assignee?: string;
  candidateGroups: string[];
  dueDate?: string;
  creationDate: string;
  completionDate?: string;
  formKey?: string;
  /** 0-100; 50 unless set. */
  priority?: number;
}

export interface FakeIncident {
  incidentKey: string;
  processInstanceKey: string;
  jobKey?: string;
  elementId: string;
  errorType: string;
  errorMessage: string;
  creationTime: string;
  state: 'ACTIVE';
}

const KIND: Record<string, DeployedResource['kind']> = { bpmn: 'bpmn', dmn: 'dmn', form: 'form' };

function idOf(kind: DeployedResource['kind'], content: Buffer): string {
  const text = content.toString('utf8');
  if (kind === 'form') return JSON.parse(text).id;
  const pattern = kind === 'bpmn' ? /<(?:\w+:)?process\s[^>]*?id="([^"]+)"/ : /<(?:\w+:)?definitions\s[^>]*?id="([^"]+)"/;
  const match = pattern.exec(text);
  if (!match) throw new Error(`no ${kind} id in the resource`);
  return match[1];
}

/** What the fake cluster knows: its deployments, instances, user tasks and incidents, shared by its gRPC and REST sides. */
export class ClusterState {
  readonly resources: DeployedResource[] = [];
  readonly instances = new Map<string, FakeInstance>();
  readonly userTasks: FakeUserTask[] = [];
  readonly incidents: FakeIncident[] = [];
  readonly messages: Record<string, any>[] = [];
  readonly events = new EventEmitter();
  private key = 2251799813685248n;

  nextKey(): string {
    this.key += 1n;
    return String(this.key);
  }

  /** Zeebe's rule: the same name and the same content as the latest version is that version, anything else a new one. */
  deploy(name: string, content: Buffer): DeployedResource {
    const kind = KIND[name.split('.').pop() ?? ''];
    if (!kind) throw new Error(`not a .bpmn, .dmn or .form resource: ${name}`);
    const id = idOf(kind, content);
    const latest = this.latest(kind, id);
    if (latest && latest.name === name && latest.content.equals(content)) return latest;
    const deployed = { kind, id, version: (latest?.version ?? 0) + 1, key: this.nextKey(), name, content };
    this.resources.push(deployed);
    return deployed;
  }

  latest(kind: DeployedResource['kind'], id: string): DeployedResource | undefined {
    return this.resources.filter((r) => r.kind === kind && r.id === id).at(-1);
  }

  version(kind: DeployedResource['kind'], id: string, version: number): DeployedResource | undefined {
    return this.resources.find((r) => r.kind === kind && r.id === id && r.version === version);
  }

  startInstance(definition: DeployedResource, variables: Record<string, unknown>, parentKey?: string): FakeInstance {
    const instance: FakeInstance = {
      key: this.nextKey(),
      bpmnProcessId: definition.id,
      version: definition.version,
      definitionKey: definition.key,
      variables,
      state: 'ACTIVE',
      startDate: new Date().toISOString(),
      parentKey,
      activeElements: [],
    };
    this.instances.set(instance.key, instance);
    this.events.emit('instance', instance);
    return instance;
  }

  /** The next real (not sandbox) instance of the process started from outside (CreateProcessInstance), or one already started. */
  instanceOf(bpmnProcessId: string, applicationId: string): Promise<FakeInstance> {
    const match = (i: FakeInstance) =>
      i.bpmnProcessId === bpmnProcessId && i.variables.applicationId === applicationId && !i.parentKey && i.variables.sandbox !== true;
    const found = [...this.instances.values()].find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => {
      const listen = (instance: FakeInstance) => {
        if (!match(instance)) return;
        this.events.off('instance', listen);
        resolve(instance);
      };
      this.events.on('instance', listen);
    });
  }
}
