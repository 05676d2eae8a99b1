import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { ROOT, spawnServer, type ServerProcess } from '../../support/child';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { eventually } from '../../support/engine';
import { request } from '../../support/server';

const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'engine', 'durable-server.ts');
const INSTANCES = 12;
const JOBS_PER_INSTANCE = 2;

interface Rows {
  instances: { key: string; state: string; active_elements: string[]; variables: { applicationId: string; steps: number } }[];
  jobs: { key: string; instance_key: string; element_id: string; state: string; activation: number }[];
  tasks: { key: string; instance_key: string; state: string }[];
  timers: { key: string; instance_key: string; state: string }[];
  subscriptions: { key: string; instance_key: string; state: string }[];
  incidents: { key: string; instance_key: string; state: string; error_message: string }[];
}

interface HandlerRun {
  job: string;
  type: string;
  instance: string;
  pid: number;
}

const count = <T>(items: T[], pick: (item: T) => boolean) => items.filter(pick).length;

describe('embedded engine: a server killed with SIGKILL resumes every waiting instance', () => {
  let database: TestDatabase;
  const children: ServerProcess[] = [];

  before(async () => {
    database = await createTestDatabase();
  });

  after(async () => {
    for (const server of children) if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    await Promise.all(children.map((server) => server.exited));
    await database?.drop();
  });

  async function boot(): Promise<{ url: string; server: ServerProcess }> {
    const env = {
      DATA_DIR: database.dataDir,
      DATABASE_URL: database.databaseUrl ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      SLOW_JOB_MS: '600',
      // Well above the slow job even on a loaded machine: a job is handed out again only when its holder died.
      JOB_TIMEOUT_MS: '3000',
      // Steps in engine threads, as under load.
      ENGINE_THREADS: '2',
      ENGINE_THREADS_FROM: '0',
    };
    const server = spawnServer(env, FIXTURE);
    children.push(server);
    return { url: await server.ready, server };
  }

  async function kill(server: ServerProcess): Promise<void> {
    server.child.kill('SIGKILL');
    await server.exited;
  }

  async function call<T = any>(url: string, method: string, route: string, json?: unknown): Promise<T> {
    const reply = await request<T>(url, method, route, { json });
    if (reply.status >= 300) throw new Error(`${method} ${route}: ${reply.status} ${reply.text}`);
    return reply.body;
  }

  const rows = (url: string) => call<Rows>(url, 'GET', '/test/rows');
  const openTaskOf = (all: Rows, instanceKey: string) => all.tasks.find((t) => t.instance_key === instanceKey && t.state === 'created')!;
  const completeTask = (url: string, all: Rows, instanceKey: string) =>
    call(url, 'POST', `/test/tasks/${openTaskOf(all, instanceKey).key}/complete`, { decision: 'approve' });
  const publishGo = (url: string, applicationId: string) =>
    call(url, 'POST', '/test/messages', { name: 'durable-go', correlationKey: applicationId });
  const handlerRuns = (): HandlerRun[] =>
    fs
      .readFileSync(path.join(database.dataDir, 'handler-runs.log'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));

  it('finishes every instance after kills during jobs, tasks, messages and timers, committing each job once', async function () {
    this.timeout(90_000);

    // Given instances whose slow jobs are running when the server is killed
    const first = await boot();
    const keys: string[] = [];
    const appIds: string[] = [];
    for (let i = 1; i <= INSTANCES; i++) {
      appIds.push(`D-${i}`);
      keys.push((await call(first.url, 'POST', '/test/instances', { applicationId: `D-${i}`, steps: 0, pause: 'PT2S' })).key);
    }
    const atFirstKill = await rows(first.url);
    expect(
      count(atFirstKill.jobs, (j) => j.state === 'activated'),
      'slow jobs in flight at the first kill',
    ).to.be.greaterThan(0);
    await kill(first.server);

    // When it starts again, the jobs the dead process held are handed out again after their deadline
    const second = await boot();
    const parked = await eventually(
      () => rows(second.url),
      (r) => count(r.tasks, (t) => t.state === 'created') === INSTANCES,
      20_000,
    );
    expect(
      parked.instances.filter((i) => !(i.state === 'active' && i.variables.steps === 1)).map((i) => [i.key, i.state, i.variables.steps]),
      'instances not active at the task after exactly one slow step',
    ).to.deep.equal([]);

    // and is killed again with instances waiting at a task, at a message and at a timer
    for (const key of keys.slice(0, 8)) await completeTask(second.url, parked, key);
    for (const appId of appIds.slice(0, 4)) expect((await publishGo(second.url, appId)).correlatedInstanceKeys).to.have.length(1);
    const atSecondKill = await rows(second.url);
    await kill(second.server);
    expect(
      count(atSecondKill.timers, (t) => t.state === 'armed'),
      'armed timers at the second kill',
    ).to.be.greaterThan(0);
    expect(
      count(atSecondKill.subscriptions, (s) => s.state === 'open'),
      'open subscriptions at the second kill',
    ).to.equal(4);
    expect(
      count(atSecondKill.tasks, (t) => t.state === 'created'),
      'open tasks at the second kill',
    ).to.equal(4);

    // Then the third start resumes each kind of wait
    const third = await boot();
    const waiting = await rows(third.url);
    for (const key of keys.slice(8)) await completeTask(third.url, waiting, key);
    for (const appId of appIds.slice(4)) expect((await publishGo(third.url, appId)).correlatedInstanceKeys).to.have.length(1);
    const done = await eventually(
      () => rows(third.url),
      (r) => r.instances.every((i) => i.state !== 'active'),
      20_000,
    );

    for (const instance of done.instances) {
      expect(instance.state, `instance ${instance.key}`).to.equal('completed');
      expect(instance.variables.steps, `completions committed for ${instance.key}`).to.equal(JOBS_PER_INSTANCE);
      const jobs = done.jobs.filter((j) => j.instance_key === instance.key);
      expect(jobs.map((j) => `${j.element_id}:${j.state}`).sort(), `job rows of ${instance.key}`).to.deep.equal([
        'finalWork:completed',
        'slowWork:completed',
      ]);
    }
    expect(done.instances).to.have.length(INSTANCES);
    expect(done.tasks.map((t) => t.state)).to.deep.equal(Array(INSTANCES).fill('completed'));
    expect(done.timers.map((t) => t.state)).to.deep.equal(Array(INSTANCES).fill('fired'));
    expect(done.subscriptions.map((s) => s.state)).to.deep.equal(Array(INSTANCES).fill('correlated'));
    expect(done.incidents).to.deep.equal([]);

    // and handlers ran at least once per job, some twice (re-delivered after the kill), each committed once
    const runs = handlerRuns();
    const runsByJob = new Map<string, HandlerRun[]>();
    for (const run of runs) runsByJob.set(run.job, [...(runsByJob.get(run.job) ?? []), run]);
    expect([...runsByJob.keys()].sort()).to.deep.equal(done.jobs.map((j) => String(j.key)).sort());
    const ranIn = (pid: number | undefined) => (job: HandlerRun[]) => job.some((run) => run.pid === pid);
    const rerun = [...runsByJob.values()].filter((job) => ranIn(first.server.child.pid)(job) && ranIn(second.server.child.pid)(job));
    expect(rerun.length, 'jobs whose handler ran in the killed process and again after the restart').to.be.greaterThan(0);

    third.server.child.kill('SIGTERM');
    expect(await third.server.exited).to.equal(0);
  });
});
