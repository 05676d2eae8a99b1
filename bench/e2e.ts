/**
 * End to end through the HTTP API: publication-licence reissues (the lost licence is in the library, no upload)
 * submitted by the seeded enterprises that hold one, from submit to the signed licence published in the e-licence
 * library. A paced run at RATE per second gives the latency; a burst gives the sustained throughput. Prints one
 * JSON line. `npx tsx bench/e2e.ts [--rate 10] [--count 100] [--burst 126]`
 */
import { parseArgs } from 'node:util';
import { benchDatabase, percentile, round } from './support';
import { startTestServer, type TestServer } from '../test/support/server';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '10' },
    count: { type: 'string', default: '100' },
    burst: { type: 'string', default: '126' },
  },
});
const RATE = Number(values.rate);
const COUNT = Number(values.count);
const BURST = Number(values.burst);
const MATTER = 'publication-licence-reissue';
const TYPED = {
  reissueCopies: 'original',
  lossDate: '2026-11-01',
  lossCircumstances: '搬迁时遗失',
  contactName: '陈晓东',
  contactPhone: '13912345678',
  statementAccepted: true,
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Users for every active enterprise holding a valid publication licence: they are the applicants. */
async function applicants(server: TestServer): Promise<string[]> {
  const platform = server.running.platform;
  const knex = platform.db.knex;
  const holders: { uscc: string; name: string }[] = await knex('licenses as l')
    .join('enterprises as e', 'e.uscc', 'l.holder_code')
    .where({ 'l.type_name': '出版物经营许可证', 'l.status': 'valid', 'e.status': 'active' })
    .where('l.valid_until', '>', knex.raw(`current_date + 60`))
    .distinct('e.uscc', 'e.name');
  const hash = await platform.auth.hashPassword('bench');
  await knex('users')
    .insert(
      holders.map((h) => ({
        id: `bench-${h.uscc}`,
        username: `bench-${h.uscc}`,
        password_hash: hash,
        display_name: h.name,
        kind: 'enterprise',
        uscc: h.uscc,
      })),
    )
    .onConflict('id')
    .ignore();
  await platform.auth.enforcer.addNamedGroupingPolicies(
    'g',
    holders.map((h) => [`bench-${h.uscc}`, 'applicant', '*']),
  );
  const tokens: string[] = [];
  for (const h of holders) {
    const reply = await server.request('POST', '/api/v1/auth/login', { json: { username: `bench-${h.uscc}`, password: 'bench' } });
    if (reply.status !== 200) throw new Error(`login bench-${h.uscc}: ${reply.text}`);
    tokens.push(reply.body.token);
  }
  return tokens;
}

async function prepare(server: TestServer, token: string): Promise<string> {
  const created = await server.request('POST', '/api/v1/applications', {
    token,
    json: { matter: MATTER, action: 'apply', answers: { registrationChanged: 'no', lossType: 'lost', agent: 'self' } },
  });
  if (created.status !== 201) throw new Error(`draft: ${created.text}`);
  const patched = await server.request('PATCH', `/api/v1/applications/${created.body.id}`, { token, json: { form: TYPED } });
  if (patched.status !== 200) throw new Error(`fill: ${patched.text}`);
  return created.body.id;
}

/**
 * Licences published, watched for every waiting submission at once: one query per round, so that watching does not
 * take the cores it measures (a poll per submission was thousands of queries a second in a burst).
 */
class Publications {
  private readonly waiting = new Map<string, { submittedAt: number; since: number; resolve(ms: number): void; reject(e: Error): void }>();
  private timer: NodeJS.Timeout | undefined;
  private round = 0;

  constructor(private readonly knex: any) {}

  wait(id: string, submittedAt: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { submittedAt, since: performance.now(), resolve, reject });
      this.timer ??= setTimeout(() => this.tick(), 50);
    });
  }

  private tick(): void {
    this.poll().catch((error: Error) => {
      for (const entry of this.waiting.values()) entry.reject(error);
      this.waiting.clear();
      this.timer = undefined;
    });
  }

  private async poll(): Promise<void> {
    const ids = [...this.waiting.keys()];
    const published: { application_id: string; created_at: Date }[] = await this.knex('licenses')
      .whereIn('application_id', ids)
      .select('application_id', 'created_at');
    for (const row of published) {
      const entry = this.waiting.get(row.application_id)!;
      this.waiting.delete(row.application_id);
      entry.resolve(new Date(row.created_at).getTime() - entry.submittedAt);
    }
    if (++this.round % 20 === 0 && this.waiting.size) {
      // A case gone astray fails the run at once.
      const astray = await this.knex('applications')
        .whereIn('id', [...this.waiting.keys()])
        .whereIn('status', ['manual_review', 'rejected'])
        .select('id', 'status', 'findings');
      for (const application of astray) {
        this.waiting
          .get(application.id)!
          .reject(new Error(`application ${application.id} went to ${application.status}: ${JSON.stringify(application.findings)}`));
        this.waiting.delete(application.id);
      }
      for (const [id, entry] of this.waiting)
        if (performance.now() - entry.since > 60_000) {
          entry.reject(new Error(`application ${id} not issued in 60 s`));
          this.waiting.delete(id);
        }
    }
    this.timer = this.waiting.size ? setTimeout(() => this.tick(), 50) : undefined;
  }
}

let publications: Publications;

/** Submits and waits for the licence to be published; the latency from the submit request to the licence's row (its own time). */
async function submitAndWait(server: TestServer, token: string, id: string): Promise<number> {
  const submittedAt = Date.now();
  const reply = await server.request('POST', `/api/v1/applications/${id}/submit`, { token, headers: { 'idempotency-key': `bench-${id}` } });
  if (reply.status !== 202) throw new Error(`submit: ${reply.text}`);
  return publications.wait(id, submittedAt);
}

/** Submissions offered at `rate` per second, spread over the applicants, each applicant's in turn. */
async function paced(server: TestServer, tokens: string[], count: number, rate: number) {
  const latencies: number[] = [];
  let late = 0;
  const t0 = performance.now() + 2000;
  const lanes = tokens.map((token, lane) => async () => {
    for (let slot = lane; slot < count; slot += tokens.length) {
      const id = await prepare(server, token);
      const due = t0 + (slot * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      else late++;
      latencies.push(await submitAndWait(server, token, id));
    }
  });
  await Promise.all(lanes.map((run) => run()));
  return { latencies: latencies.sort((a, b) => a - b), late };
}

/** Every applicant submits at once, again and again: what the platform sustains. */
async function burst(server: TestServer, tokens: string[], total: number) {
  const start = performance.now();
  let done = 0;
  await Promise.all(
    tokens.map(async (token, lane) => {
      for (let k = lane; k < total; k += tokens.length) {
        const id = await prepare(server, token);
        await submitAndWait(server, token, id);
        done++;
      }
    }),
  );
  return { done, seconds: (performance.now() - start) / 1000 };
}

const database = await benchDatabase();
await database.drop();
const server = await startTestServer();
publications = new Publications(server.running.platform.db.knex);
try {
  const tokens = await applicants(server);
  const pacedRun = await paced(server, tokens, COUNT, RATE);
  const burstRun = await burst(server, tokens, BURST);
  const knex = server.running.platform.db.knex;
  const jobs: { type: string; ms: number }[] = (
    await knex('jobs')
      .whereIn('type', ['esign', 'review', 'prefill', 'ocr', 'license-publish'])
      .whereNotNull('ended_at')
      .select('type', knex.raw(`extract(epoch from (ended_at - created_at)) * 1000 as ms`))
  ).map((r: any) => ({ type: r.type, ms: Number(r.ms) }));
  const mean = (type: string) => {
    const of = jobs.filter((j) => j.type === type);
    return of.length ? of.reduce((s, j) => s + j.ms, 0) / of.length : 0;
  };
  const meanLatency = pacedRun.latencies.reduce((s, v) => s + v, 0) / Math.max(1, pacedRun.latencies.length);
  console.log(
    JSON.stringify({
      database: database.label,
      applicants: tokens.length,
      offeredPerSecond: RATE,
      paced: pacedRun.latencies.length,
      late: pacedRun.late,
      p50Ms: round(percentile(pacedRun.latencies, 50)),
      p99Ms: round(percentile(pacedRun.latencies, 99)),
      burst: burstRun.done,
      sustainedPerSecond: round(burstRun.done / burstRun.seconds),
      meanJobMs: {
        prefill: round(mean('prefill')),
        review: round(mean('review')),
        esign: round(mean('esign')),
        publish: round(mean('license-publish')),
      },
      esignShareOfLatency: round(mean('esign') / meanLatency, 2),
      rssMb: round(process.memoryUsage().rss / 1024 / 1024),
    }),
  );
} finally {
  await server.close();
}
