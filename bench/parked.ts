// 100,000 instances parked at a user task: memory of the server holding them, and the time to complete one.
import { loadConfig } from '../server/config';
import type { EmbeddedEngine } from '../server/engine/embedded/embedded-engine';
import { createLogger } from '../server/log';
import { createPlatform } from '../server/platform';
import { bpmn, deployRaw } from '../test/support/engine';
import { benchDatabase, percentile, round } from './support';

const PARKED = Number(process.env.BENCH_PARKED || 100_000);
const SAMPLE = Number(process.env.BENCH_SAMPLE || 300);
const flow = bpmn(
  'bench-parked',
  `<bpmn:startEvent id="start" /><bpmn:sequenceFlow id="s1" sourceRef="start" targetRef="clerk" />
   <bpmn:userTask id="clerk" name="审查"><bpmn:extensionElements><zeebe:userTask /><zeebe:assignmentDefinition candidateGroups="health" /></bpmn:extensionElements></bpmn:userTask>
   <bpmn:sequenceFlow id="s2" sourceRef="clerk" targetRef="end" /><bpmn:endEvent id="end" />`,
);

const database = await benchDatabase();
const platform = await createPlatform(
  loadConfig(
    { ENGINE_THREADS: process.env.ENGINE_THREADS },
    { dataDir: database.dataDir, databaseUrl: database.databaseUrl, seedDemo: false, processesDir: '/nonexistent' },
  ),
  { log: createLogger('error') },
);
const knex = platform.db.knex;
const engine = platform.engine as EmbeddedEngine;
try {
  await deployRaw(platform, 'bpmn', 'bench-parked', flow);
  global.gc?.();
  const rssPlatformMb = round(process.memoryUsage().rss / 1024 / 1024);
  const { key } = await engine.startInstance({ bpmnProcessId: 'bench-parked', variables: { applicationId: 'A-0' }, actor: 'bench' });
  const template = await knex('process_instances').where({ key }).first();
  const task = await knex('tasks').where({ instance_key: key }).first();

  const seedStarted = performance.now();
  const batch = 5000;
  for (let done = 1; done < PARKED; done += batch) {
    const count = Math.min(batch, PARKED - done);
    await knex.raw(
      `with instances as (
         insert into process_instances (bpmn_process_id, version, resource_key, state, variables, engine_state, revision, active_elements, waiting, sandbox, started_by, started_at)
         select bpmn_process_id, version, resource_key, state, jsonb_build_object('applicationId', 'A-' || g), engine_state, revision, active_elements, waiting, sandbox, started_by, now()
           from process_instances, generate_series(?::int, ?::int) g where key = ? returning key, variables->>'applicationId' as application_id)
       insert into tasks (instance_key, bpmn_process_id, element_id, element_instance_id, name, candidate_groups, state, application_id, created_at)
       select i.key, t.bpmn_process_id, t.element_id, t.element_instance_id, t.name, t.candidate_groups, 'created', i.application_id, now()
         from instances i, tasks t where t.key = ?`,
      [done, done + count - 1, template.key, task.key],
    );
  }
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  global.gc?.();
  const rssParkedMb = round(process.memoryUsage().rss / 1024 / 1024);

  const keys: string[] = (await knex('tasks').where({ state: 'created' }).orderByRaw('random()').limit(SAMPLE).pluck('key')).map(String);
  const latencies: number[] = [];
  for (const taskKey of keys) {
    const t0 = performance.now();
    await engine.completeUserTask(taskKey, { decision: 'approve' }, 'bench');
    latencies.push(performance.now() - t0);
  }
  latencies.sort((a, b) => a - b);
  const completed = await knex('process_instances').where({ state: 'completed' }).count<{ n: string }[]>('key as n');
  process.stdout.write(
    JSON.stringify({
      parked: PARKED,
      rssMb: rssParkedMb,
      platformRssMb: rssPlatformMb,
      peakRssMb: round(process.resourceUsage().maxRSS / 1024),
      completeP50Ms: round(percentile(latencies, 50)),
      completeP99Ms: round(percentile(latencies, 99)),
      completed: Number(completed[0].n),
      seedSeconds: round(seedSeconds),
      db: database.label,
    }) + '\n',
  );
} finally {
  await platform.close();
  await database.drop();
}
