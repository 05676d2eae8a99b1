import { bpmnError, complete, type Worker } from '../../../workers/worker';
import { embedded, eventually } from '../../support/engine';
import type { TestServer } from '../../support/server';

export const DAY = 86_400_000;

/** What a stubbed worker does for one application: the facts a path needs that real workers would compute. */
export interface Scripted {
  notEligible?: boolean;
  reviewPassed?: boolean;
}

interface JobRecord {
  type: string;
  elementId: string;
  headers: Record<string, string>;
  state: string;
}

const DEPARTMENTS: Record<string, string> = {
  'public-place-hygiene-permit': 'health',
  'publication-licence-reissue': 'culture',
  'dangerous-goods-staff-employer-change': 'transport',
};

/**
 * The job types whose answers these path tests script: the server under test runs without their real workers
 * (`DISABLED_WORKERS`), so each path can be steered; the real ones have tests of their own.
 */
export const SCRIPTED_JOB_TYPES = ['ocr', 'review', 'esign', 'license-publish', 'archive'];

/**
 * Drives the repository's lifecycle processes on the real server: `status`, `deadline`, `prefill` and `notify` are the
 * real workers; the scripted job types get stubs that answer as `script` says for the application.
 */
export class Lifecycle {
  readonly script = new Map<string, Scripted>();
  readonly stubbed: string[] = [];
  private count = 0;

  constructor(private readonly server: TestServer) {}

  get platform() {
    return this.server.running.platform;
  }
  get engine() {
    return embedded(this.platform);
  }
  private get knex() {
    return this.platform.db.knex;
  }

  registerStubs(): void {
    const of = (variables: Record<string, unknown>) => this.script.get(String(variables.applicationId)) ?? {};
    const stubs: Worker[] = [
      {
        type: 'prefill',
        handler: async (job) =>
          of(job.variables).notEligible ? bpmnError('NOT_ELIGIBLE', '申请人不符合申请条件') : complete({ prefill: { changedFields: [] } }),
      },
      { type: 'ocr', handler: async () => complete({ ocr: { materials: 0, lowConfidence: [] } }) },
      {
        type: 'review',
        handler: async (job) => {
          const passed = of(job.variables).reviewPassed ?? true;
          const findings = passed ? [] : [{ point: 'R-01', severity: 'block', message: '营业执照登记状态异常' }];
          return complete({ review: { passed, findings, tableVersion: 1 } });
        },
      },
      { type: 'esign', handler: async (job) => complete({ documents: [{ id: `doc-${job.key}`, kind: 'decision' }] }) },
      { type: 'license-publish', handler: async (job) => complete({ licenseId: `lic-${job.variables.applicationId}` }) },
      { type: 'archive', handler: async (job) => complete({ archiveId: `arc-${job.variables.applicationId}` }) },
      { type: 'notify', handler: async () => complete({}) },
    ];
    for (const stub of stubs) {
      if (this.engine.serves(stub.type)) continue;
      this.engine.registerWorker(stub);
      this.stubbed.push(stub.type);
    }
  }

  /** An application row as submitted, and its lifecycle instance started with the JOBS.md start variables. */
  async submit(matterSlug: string, action: string, scripted: Scripted = {}, applicantId = 'enterprise1') {
    const initials = matterSlug
      .split('-')
      .map((word) => word[0].toUpperCase())
      .join('');
    const applicationId = `LC-${initials}-${action}-${++this.count}`;
    this.script.set(applicationId, scripted);
    const now = this.platform.clock.now();
    await this.knex('applications').insert({
      id: applicationId,
      matter_slug: matterSlug,
      action,
      department: DEPARTMENTS[matterSlug],
      applicant_id: applicantId,
      status: 'submitted',
      resume_code: `RC-${applicationId}`,
      created_at: now,
      updated_at: now,
      submitted_at: now,
    });
    const { key } = await this.platform.engine.startInstance({
      bpmnProcessId: `${matterSlug}-${action}`,
      variables: { applicationId, matterSlug, action, applicantId, sandbox: false, submittedAt: now.toISOString() },
      actor: 'test',
    });
    await this.knex('applications').where({ id: applicationId }).update({ process_instance_key: key });
    return { applicationId, key };
  }

  async status(applicationId: string): Promise<string> {
    return (await this.knex('applications').where({ id: applicationId }).first('status')).status;
  }

  /** The statuses of the application's timeline, oldest first. */
  async timeline(applicationId: string): Promise<string[]> {
    return this.knex('application_events').where({ application_id: applicationId, kind: 'status' }).orderBy('id').pluck('status');
  }

  async messages(applicationId: string): Promise<string[]> {
    return this.knex('application_events').where({ application_id: applicationId, kind: 'status' }).orderBy('id').pluck('message');
  }

  /** Every job of the application, in the main process and the shared one, in the order they were created. */
  async jobs(applicationId: string): Promise<JobRecord[]> {
    const rows = await this.knex('jobs')
      .whereRaw(`variables->>'applicationId' = ?`, [applicationId])
      .orderBy('key')
      .select('type', 'element_id', 'headers', 'state');
    return rows.map((r: any) => ({ type: r.type, elementId: r.element_id, headers: r.headers, state: r.state }));
  }

  async jobTypes(applicationId: string): Promise<string[]> {
    return (await this.jobs(applicationId)).map((j) => j.type);
  }

  async notifications(applicationId: string): Promise<string[]> {
    return (await this.jobs(applicationId)).filter((j) => j.type === 'notify').map((j) => j.headers.template);
  }

  /** Waits for an open user task of the application at that element. */
  openTask(applicationId: string, elementId: string) {
    return eventually(
      () => this.knex('tasks').where({ application_id: applicationId, element_id: elementId, state: 'created' }).first(),
      (task) => Boolean(task),
      10_000,
    );
  }

  async completeTask(applicationId: string, elementId: string, variables: Record<string, unknown>, actor: string) {
    const task = await this.openTask(applicationId, elementId);
    await this.platform.engine.completeUserTask(String(task.key), variables, actor);
    return task;
  }

  /** The clerk accepts the case (受理), the first task on the clerk path; `acceptedAt` as the worklist sets it. */
  accept(applicationId: string, actor: string) {
    return this.completeTask(
      applicationId,
      'Task_ClerkAcceptance',
      { decision: 'accept', comment: '材料齐全，符合法定形式，予以受理', acceptedAt: this.platform.clock.now().toISOString() },
      actor,
    );
  }

  untilStatus(applicationId: string, status: string) {
    return eventually(
      () => this.status(applicationId),
      (s) => s === status,
      10_000,
    );
  }

  /** Waits for the instance to leave `active` and returns it (completed, or an incident to show). */
  async finished(key: string) {
    return (await eventually(
      () => this.engine.getInstance(key),
      (i) => i!.state !== 'active',
      15_000,
    ))!;
  }

  /** The shared `common-review-decide-issue` instance called by the application's main process. */
  async child(parentKey: string) {
    const row = await eventually(
      () => this.knex('process_instances').where({ parent_key: parentKey }).first('key'),
      (r) => Boolean(r),
      10_000,
    );
    return (await this.engine.getInstance(String(row.key)))!;
  }

  /** The latest `common-clerk-path` instance under the shared review: the clerk's side, where `dueDate` and the rest live while it runs. */
  async clerkPath(parentKey: string) {
    const review = await this.child(parentKey);
    const row = await eventually(
      () =>
        this.knex('process_instances')
          .where({ parent_key: review.key, bpmn_process_id: 'common-clerk-path' })
          .orderBy('key', 'desc')
          .first('key'),
      (r) => Boolean(r),
      10_000,
    );
    return (await this.engine.getInstance(String(row.key)))!;
  }

  /** Waits until a message subscription of the application's instances is open. */
  subscribed(applicationId: string, messageName: string) {
    return eventually(
      () => this.knex('message_subscriptions').where({ correlation_key: applicationId, message_name: messageName, state: 'open' }).first(),
      (s) => Boolean(s),
      10_000,
    );
  }

  /** Moves the platform clock and fires what fell due. */
  async advance(ms: number): Promise<void> {
    this.server.clock.advance(ms);
    await this.engine.tick();
  }
}
