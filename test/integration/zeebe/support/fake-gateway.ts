import { createRequire } from 'node:module';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { ClusterState, DeployedResource } from './cluster-state';

const require = createRequire(import.meta.url);
/** The gateway protocol the SDK itself speaks, from the SDK's own copy of it. */
export const GATEWAY_PROTO = require.resolve('@camunda8/sdk/dist/proto/zeebe.proto');

export interface Recorded {
  method: string;
  request: any;
}

/** What a worker answered for a job: the gateway call it made. */
export interface JobAnswer {
  method: 'CompleteJob' | 'FailJob' | 'ThrowError';
  request: any;
  /** `variables` of the request, parsed. */
  variables: Record<string, unknown>;
}

export interface JobSpec {
  type: string;
  processInstanceKey: string;
  bpmnProcessId: string;
  processDefinitionVersion: number;
  processDefinitionKey: string;
  elementId: string;
  customHeaders: Record<string, string>;
  variables: Record<string, unknown>;
  retries: number;
}

interface Waiting {
  request: any;
  call: grpc.ServerWritableStream<any, any>;
  timer: NodeJS.Timeout;
}

/** Zeebe's default: a job activation without a requestTimeout waits this long for work. */
const DEFAULT_LONG_POLL_MS = 10_000;

const status = (code: grpc.status, details: string) => Object.assign(new Error(details), { code, details });

/** A gateway's refusal of a call, as a test makes it answer (`FakeGateway.fault`). */
export const gatewayError = status;

/**
 * A Zeebe gateway on loopback, built from the SDK's `zeebe.proto`: it records every request and answers as a broker
 * would for the calls the adapter makes. Jobs are handed out only when the test offers them (`offerJob`), and each
 * offer resolves with the worker's answer.
 */
export class FakeGateway {
  readonly calls: Recorded[] = [];
  /** A test's way to make a call fail as a cluster would (a refused resource, a gateway with no broker): the error to answer. */
  fault?: (method: string, request: any) => Error | undefined;
  private readonly queue = new Map<string, JobSpec[]>();
  private readonly waiting = new Map<string, Waiting[]>();
  private readonly active = new Map<string, { spec: JobSpec; answer: (a: JobAnswer) => void; timer: NodeJS.Timeout }>();
  private readonly answers = new Map<JobSpec, (answer: JobAnswer) => void>();
  private server!: grpc.Server;
  address = '';

  constructor(private readonly state: ClusterState) {}

  async start(): Promise<void> {
    const definition = protoLoader.loadSync(GATEWAY_PROTO, { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true });
    const proto = grpc.loadPackageDefinition(definition) as any;
    this.server = new grpc.Server();
    const unary =
      (method: string, answer: (request: any) => unknown) => (call: grpc.ServerUnaryCall<any, any>, callback: grpc.sendUnaryData<any>) => {
        this.calls.push({ method, request: call.request });
        try {
          const fault = this.fault?.(method, call.request);
          if (fault) throw fault;
          callback(null, answer(call.request));
        } catch (error) {
          callback(error as grpc.ServiceError);
        }
      };
    this.server.addService(proto.gateway_protocol.Gateway.service, {
      Topology: unary('Topology', () => ({
        brokers: [
          {
            nodeId: 0,
            host: '127.0.0.1',
            port: 26501,
            partitions: [{ partitionId: 1, role: 'LEADER', health: 'HEALTHY' }],
            version: '8.8.0',
          },
        ],
        clusterSize: 1,
        partitionsCount: 1,
        replicationFactor: 1,
        gatewayVersion: '8.8.0',
      })),
      DeployResource: unary('DeployResource', (request) => this.deploy(request)),
      CreateProcessInstance: unary('CreateProcessInstance', (request) => this.createInstance(request)),
      CancelProcessInstance: unary('CancelProcessInstance', (request) => {
        const instance = this.state.instances.get(request.processInstanceKey);
        if (!instance || instance.state !== 'ACTIVE')
          throw status(grpc.status.NOT_FOUND, `Command 'CANCEL' rejected: no process instance ${request.processInstanceKey}`);
        instance.state = 'TERMINATED';
        return {};
      }),
      PublishMessage: unary('PublishMessage', (request) => {
        this.state.messages.push({ ...request, variables: JSON.parse(request.variables || '{}') });
        return { key: this.state.nextKey(), tenantId: request.tenantId };
      }),
      CompleteJob: unary('CompleteJob', (request) => this.answer('CompleteJob', request)),
      FailJob: unary('FailJob', (request) => this.answer('FailJob', request)),
      ThrowError: unary('ThrowError', (request) => this.answer('ThrowError', request)),
      UpdateJobRetries: unary('UpdateJobRetries', () => ({})),
      ResolveIncident: unary('ResolveIncident', (request) => {
        const incident = this.state.incidents.find((i) => i.incidentKey === request.incidentKey);
        if (!incident) throw status(grpc.status.NOT_FOUND, `no incident ${request.incidentKey}`);
        this.state.incidents.splice(this.state.incidents.indexOf(incident), 1);
        return {};
      }),
      ActivateJobs: (call: grpc.ServerWritableStream<any, any>) => this.activate(call),
    });
    const port = await new Promise<number>((resolve, reject) =>
      this.server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    this.address = `grpc://127.0.0.1:${port}`;
  }

  stop(): void {
    for (const list of this.waiting.values()) for (const w of list) clearTimeout(w.timer);
    for (const job of this.active.values()) clearTimeout(job.timer);
    this.server?.forceShutdown();
  }

  requests(method: string): any[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.request);
  }

  /** Puts a job up for activation; resolves with the worker's answer (complete, fail or BPMN error). */
  offerJob(spec: JobSpec): Promise<JobAnswer> {
    return new Promise((resolve) => {
      this.answers.set(spec, resolve);
      this.enqueue(spec);
    });
  }

  private enqueue(spec: JobSpec): void {
    const waiters = this.waiting.get(spec.type) ?? [];
    let waiter = waiters.shift();
    while (waiter && (waiter.call.cancelled || waiter.call.writableEnded)) waiter = waiters.shift();
    if (waiter) {
      clearTimeout(waiter.timer);
      this.handOut(waiter.request, waiter.call, [spec]);
    } else this.queue.set(spec.type, [...(this.queue.get(spec.type) ?? []), spec]);
  }

  private activate(call: grpc.ServerWritableStream<any, any>): void {
    const request = call.request;
    this.calls.push({ method: 'ActivateJobs', request });
    const queued = this.queue.get(request.type) ?? [];
    if (queued.length) {
      this.handOut(request, call, queued.splice(0, request.maxJobsToActivate));
      return;
    }
    const requestTimeout = Number(request.requestTimeout);
    if (requestTimeout < 0) {
      call.end();
      return;
    }
    const waiter: Waiting = { request, call, timer: setTimeout(() => leave(), requestTimeout || DEFAULT_LONG_POLL_MS) };
    const leave = () => {
      clearTimeout(waiter.timer);
      const list = this.waiting.get(request.type) ?? [];
      if (list.includes(waiter)) list.splice(list.indexOf(waiter), 1);
      if (!call.cancelled && !call.writableEnded) call.end();
    };
    call.on('cancelled', leave);
    this.waiting.set(request.type, [...(this.waiting.get(request.type) ?? []), waiter]);
  }

  private handOut(request: any, call: grpc.ServerWritableStream<any, any>, specs: JobSpec[]): void {
    const deadline = Date.now() + Number(request.timeout);
    const jobs = specs.map((spec) => {
      const key = this.state.nextKey();
      // As the broker does: a job not answered within its timeout is handed out again.
      const timer = setTimeout(() => {
        const job = this.active.get(key);
        if (!job) return;
        this.active.delete(key);
        this.answers.set(spec, job.answer);
        this.enqueue(spec);
      }, Number(request.timeout));
      this.active.set(key, { spec, answer: this.answers.get(spec)!, timer });
      this.answers.delete(spec);
      return {
        key,
        type: spec.type,
        processInstanceKey: spec.processInstanceKey,
        bpmnProcessId: spec.bpmnProcessId,
        processDefinitionVersion: spec.processDefinitionVersion,
        processDefinitionKey: spec.processDefinitionKey,
        elementId: spec.elementId,
        elementInstanceKey: this.state.nextKey(),
        customHeaders: JSON.stringify(spec.customHeaders),
        worker: request.worker,
        retries: spec.retries,
        deadline: String(deadline),
        variables: JSON.stringify(spec.variables),
        tenantId: '<default>',
      };
    });
    call.write({ jobs });
    call.end();
  }

  private answer(method: JobAnswer['method'], request: any): object {
    const job = this.active.get(request.jobKey);
    if (!job) throw status(grpc.status.NOT_FOUND, `Command '${method}' rejected: no activated job ${request.jobKey}`);
    this.active.delete(request.jobKey);
    clearTimeout(job.timer);
    job.answer({ method, request, variables: JSON.parse(request.variables || '{}') });
    return {};
  }

  private deploy(request: { resources: { name: string; content: Buffer }[]; tenantId: string }) {
    const deployments = request.resources.map((resource) => {
      const deployed = this.state.deploy(resource.name, resource.content);
      return this.metadata(deployed, request.tenantId);
    });
    return { key: this.state.nextKey(), deployments, tenantId: request.tenantId };
  }

  private metadata(d: DeployedResource, tenantId: string) {
    const common = { version: d.version, resourceName: d.name, tenantId };
    if (d.kind === 'bpmn') return { process: { ...common, bpmnProcessId: d.id, processDefinitionKey: d.key } };
    if (d.kind === 'form') return { form: { ...common, formId: d.id, formKey: d.key } };
    return {
      decisionRequirements: {
        ...common,
        dmnDecisionRequirementsId: d.id,
        dmnDecisionRequirementsName: d.id,
        decisionRequirementsKey: d.key,
      },
    };
  }

  private createInstance(request: any) {
    const latest = this.state.latest('bpmn', request.bpmnProcessId);
    const definition = request.version > 0 ? this.state.version('bpmn', request.bpmnProcessId, request.version) : latest;
    if (!definition) throw status(grpc.status.NOT_FOUND, `Expected to find process definition with process ID '${request.bpmnProcessId}'`);
    const instance = this.state.startInstance(definition, JSON.parse(request.variables || '{}'));
    return {
      processDefinitionKey: definition.key,
      bpmnProcessId: definition.id,
      version: definition.version,
      processInstanceKey: instance.key,
      tenantId: request.tenantId,
    };
  }
}
