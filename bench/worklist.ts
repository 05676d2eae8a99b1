/**
 * The clerk's worklist with a full department: 10,000 open tasks of the health department among 20,000 open ones of
 * other departments and 20,000 done, each with its application and applicant (bulk SQL, not the engine). Through the
 * HTTP server as clerk.health: GET /api/v1/tasks (first page and each filter) and GET /api/v1/cases, N times each,
 * first without the worklist indexes (migrations/20261206000900_worklist_indexes.ts), then with them. Prints one JSON
 * line with p50/p95/p99 in ms per query. PostgreSQL when DATABASE_URL is set (a database of its own, dropped after),
 * PGlite otherwise. `npx tsx bench/worklist.ts [--n 100] [--explain]` (--explain: the plans on stderr).
 */
import { parseArgs } from 'node:util';
import type { Knex } from 'knex';
import { up as worklistIndexes } from '../migrations/20261206000900_worklist_indexes';
import { startTestServer, type TestServer } from '../test/support/server';
import { percentile, round } from './support';

const { values } = parseArgs({ options: { n: { type: 'string', default: '100' }, explain: { type: 'boolean', default: false } } });
const N = Number(values.n);
const WARMUP = 5;
const OPEN_HEALTH = 10_000;
const OPEN_OTHER = 20_000;
const DONE = 20_000;
const APPLICANTS = 20_000;
// Made by the migration; dropped for the run without them.
const INDEXES = ['tasks_open_by_due', 'tasks_open_by_assignee', 'tasks_done_by_completion', 'applications_department_submitted'];

/** Applications, instances and clerk tasks in bulk: health first, then other departments, then done ones. */
async function seed(knex: Knex, now: Date): Promise<void> {
  const total = OPEN_HEALTH + OPEN_OTHER + DONE;
  const resource = await knex('resources')
    .where({ kind: 'bpmn', resource_id: 'common-review-decide-issue' })
    .orderBy('version', 'desc')
    .first('key', 'version');
  await knex.raw(
    `create table bench_seed as
     select g, g <= ? as open,
       case when g <= ? then 'health' when g <= ? then (array['culture', 'transport'])[1 + g % 2] else (array['health', 'culture', 'transport'])[1 + g % 3] end as dept,
       ?::timestamptz - make_interval(hours => (g * 7919) % 720) as submitted_at
     from generate_series(1, ?) g`,
    [OPEN_HEALTH + OPEN_OTHER, OPEN_HEALTH, OPEN_HEALTH + OPEN_OTHER, now.toISOString(), total],
  );
  await knex.raw(
    `insert into users (id, username, display_name, kind, id_number)
     select 'bench-p' || g, 'bench-p' || g,
       (array['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴'])[1 + g % 10] ||
       (array['建国', '晓东', '丽', '伟', '芳', '敏', '静', '磊', '洋', '秀英', '桂兰', '志强'])[1 + (g / 10) % 12],
       'person', '11010119800101' || lpad(g::text, 4, '0')
     from generate_series(1, ?) g`,
    [APPLICANTS],
  );
  await knex.raw(
    `insert into applications (id, matter_slug, action, department, applicant_id, status, case_number, resume_code, findings,
       created_at, updated_at, submitted_at, decided_at)
     select 'bench-a' || g,
       case dept when 'health' then 'public-place-hygiene-permit' when 'culture' then 'publication-licence-reissue' else 'dangerous-goods-staff-employer-change' end,
       case dept when 'health' then (array['apply', 'change', 'renew', 'cancel'])[1 + g % 4] else 'apply' end,
       dept, 'bench-p' || (1 + g % ?), case when open then 'manual_review' else 'approved' end,
       case dept when 'health' then '000172011000' when 'culture' then '000130007004' else '000141036003' end
         || to_char(submitted_at at time zone 'Asia/Shanghai', 'YYYYMMDD') || lpad((500000 + g)::text, 7, '0'),
       'bench-rc-' || g,
       case when g % 2 = 0 then '[{"point": "HP-R12", "severity": "block", "message": "身份证明与登记信息不符"}]'::jsonb else '[]'::jsonb end,
       submitted_at, submitted_at, submitted_at, case when open then null else submitted_at + interval '2 days' end
     from bench_seed`,
    [APPLICANTS],
  );
  await knex.raw(
    `insert into process_instances (key, bpmn_process_id, version, resource_key, state, variables, started_by, started_at, ended_at)
     select 1000000000 + g, 'common-review-decide-issue', ?, ?, case when open then 'active' else 'completed' end,
       jsonb_build_object('applicationId', 'bench-a' || g), 'bench', submitted_at, case when open then null else submitted_at + interval '2 days' end
     from bench_seed`,
    [resource.version, resource.key],
  );
  // Due dates from 60 hours ago to 27 days ahead: about one in twelve open tasks overdue; one in twenty claimed.
  await knex.raw(
    `insert into tasks (instance_key, bpmn_process_id, element_id, element_instance_id, name, candidate_groups, assignee, due_date,
       form_key, application_id, sandbox, state, variables, completed_by, created_at, completed_at)
     select 1000000000 + g, 'common-review-decide-issue', 'Task_ClerkReview', 'bench-' || g, '窗口审查', array[dept],
       case when open and g % 20 = 0 then 'clerk.' || dept end,
       ?::timestamptz + make_interval(hours => (g * 7907) % 720 - 60),
       'common-clerk-review', 'bench-a' || g, false, case when open then 'created' else 'completed' end,
       jsonb_build_object('applicationId', 'bench-a' || g, 'warnAt', to_char((?::timestamptz + make_interval(hours => (g * 7907) % 720 - 100)) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
       case when not open then 'clerk.' || dept end, submitted_at, case when not open then submitted_at + interval '2 days' end
     from bench_seed`,
    [now.toISOString(), now.toISOString()],
  );
  await knex.raw('drop table bench_seed');
  await knex.raw('analyze users, applications, process_instances, tasks');
}

interface Query {
  name: string;
  path: string;
}

const QUERIES = (caseNumber: string, idNumber: string): Query[] => [
  { name: 'firstPage', path: '/api/v1/tasks' },
  { name: 'stateOpen', path: '/api/v1/tasks?state=open' },
  { name: 'assigneeMe', path: '/api/v1/tasks?assignee=me' },
  { name: 'overdue', path: '/api/v1/tasks?overdue=true' },
  { name: 'matter', path: '/api/v1/tasks?matter=public-place-hygiene-permit' },
  { name: 'stateDone', path: '/api/v1/tasks?state=done' },
  { name: 'casesByNumber', path: `/api/v1/cases?q=${caseNumber}` },
  { name: 'casesByIdNumber', path: `/api/v1/cases?q=${idNumber}` },
  { name: 'casesByName', path: `/api/v1/cases?q=${encodeURIComponent('晓东')}` },
  { name: 'casesNoMatch', path: `/api/v1/cases?q=${encodeURIComponent('无此人')}` },
];

/**
 * PGlite runs on this thread: a long statement (seeding, an index) stalls the server's keep-alive timer and the client's
 * alike, and the first request after may go out on a socket the server is closing. That one is sent again.
 */
async function get(server: TestServer, path: string, token: string) {
  try {
    return await server.request('GET', path, { token });
  } catch (error) {
    if ((error as Error & { cause?: { code?: string } }).cause?.code !== 'UND_ERR_SOCKET') throw error;
    return server.request('GET', path, { token });
  }
}

async function measure(server: TestServer, token: string, query: Query) {
  const latencies: number[] = [];
  let rows = 0;
  for (let i = 0; i < WARMUP + N; i++) {
    const t0 = performance.now();
    const reply = await get(server, query.path, token);
    const ms = performance.now() - t0;
    if (reply.status !== 200) throw new Error(`${query.path}: ${reply.status} ${reply.text}`);
    rows = (reply.body as unknown[]).length;
    if (i >= WARMUP) latencies.push(ms);
  }
  latencies.sort((a, b) => a - b);
  return { rows, p50: round(percentile(latencies, 50)), p95: round(percentile(latencies, 95)), p99: round(percentile(latencies, 99)) };
}

/** The plan of each SQL statement one request sends (EXPLAIN ANALYZE), on stderr. */
async function explain(server: TestServer, knex: Knex, token: string, query: Query, phase: string) {
  const statements: { sql: string; bindings: readonly unknown[] }[] = [];
  const listen = (q: { sql: string; bindings?: readonly unknown[] }) => statements.push({ sql: q.sql, bindings: q.bindings ?? [] });
  knex.on('query', listen);
  await get(server, query.path, token);
  knex.off('query', listen);
  for (const { sql, bindings } of statements.filter((s) => /from "tasks"|from "applications"/.test(s.sql))) {
    const plan = await knex.raw(`explain (analyze, buffers) ${sql.replace(/\$\d+/g, '?')}`, bindings as Knex.RawBinding[]);
    const lines = (plan.rows ?? plan).map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
    process.stderr.write(`\n== ${phase} ${query.name}\n${sql}\n${lines}\n`);
  }
}

const server = await startTestServer();
try {
  const knex = server.running.platform.db.knex;
  const seeding = performance.now();
  await seed(knex, server.clock.now());
  const seedSeconds = round((performance.now() - seeding) / 1000);
  const token = await server.login('clerk.health');
  const sample = await knex('applications as a')
    .join('users as u', 'u.id', 'a.applicant_id')
    .where({ 'a.department': 'health', 'a.id': 'bench-a4242' })
    .first('a.case_number', 'u.id_number');
  const queries = QUERIES(sample.case_number, sample.id_number);

  const phases: Record<string, Record<string, unknown>> = {};
  for (const phase of ['withoutIndexes', 'withIndexes'] as const) {
    if (phase === 'withoutIndexes') for (const name of INDEXES) await knex.raw(`drop index if exists ${name}`);
    else await worklistIndexes(knex);
    await knex.raw('analyze users, applications, tasks');
    phases[phase] = {};
    for (const query of queries) {
      if (values.explain) await explain(server, knex, token, query, phase);
      phases[phase][query.name] = await measure(server, token, query);
    }
  }
  console.log(
    JSON.stringify({
      database: server.database.kind === 'postgres' ? 'postgresql' : 'pglite',
      openTasksOfDepartment: OPEN_HEALTH,
      otherOpenTasks: OPEN_OTHER,
      doneTasks: DONE,
      requestsPerQuery: N,
      seedSeconds,
      ...phases,
    }),
  );
} finally {
  await server.close();
}
