// The embedded engine's throughput and latency on a five-job process, against bare bpmn-engine in the same run.
import { loadConfig } from '../server/config';
import { compileBpmn } from '../server/engine/embedded/compiler';
import type { EmbeddedEngine } from '../server/engine/embedded/embedded-engine';
import { Engine } from 'bpmn-engine';
import { feelExpressions } from '../server/engine/embedded/feel-expressions';
import { zeebeExtension } from '../server/engine/embedded/zeebe-extension';
import { createLogger } from '../server/log';
import { createPlatform, type Platform } from '../server/platform';
import { complete } from '../workers/worker';
import { bpmn, deployRaw } from '../test/support/engine';
import { benchDatabase, percentile, round, rssSampler } from './support';

const TASKS = ['prefill', 'ocr', 'review', 'esign', 'archive'];
const flow = bpmn(
  'bench-five',
  [
    '<bpmn:startEvent id="start" /><bpmn:sequenceFlow id="s0" sourceRef="start" targetRef="t0" />',
    ...TASKS.map((type, i) => {
      const next = i === 2 ? 'gateway' : i === TASKS.length - 1 ? 'end' : `t${i + 1}`;
      return `<bpmn:serviceTask id="t${i}"><bpmn:extensionElements><zeebe:taskDefinition type="bench-${type}" /></bpmn:extensionElements></bpmn:serviceTask>
        <bpmn:sequenceFlow id="s${i + 1}" sourceRef="t${i}" targetRef="${next}" />`;
    }),
    `<bpmn:exclusiveGateway id="gateway" default="toRest" />
     <bpmn:sequenceFlow id="toRest" sourceRef="gateway" targetRef="t3" />
     <bpmn:sequenceFlow id="toEnd" sourceRef="gateway" targetRef="end"><bpmn:conditionExpression>=passed = false</bpmn:conditionExpression></bpmn:sequenceFlow>
     <bpmn:endEvent id="end" />`,
  ].join('\n'),
);

const N = Number(process.env.BENCH_INSTANCES || 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY || 32);

/** Bare bpmn-engine in memory: the same definition and extension, jobs answered at once, nothing stored. */
async function bare(count: number): Promise<number> {
  const source = await compileBpmn(flow);
  const extension = zeebeExtension({ onJob: (_job, callback) => setImmediate(() => callback(null, {})), evaluateDecision: () => null });
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const engine = new Engine({
      name: `b${i}`,
      sourceContext: source,
      expressions: feelExpressions,
      extensions: { zeebe: extension },
      settings: { enableDummyService: false },
    } as any);
    await new Promise<void>((resolve, reject) => {
      engine.once('end', () => resolve());
      engine.once('error', reject);
      void engine.execute({ variables: { passed: true } });
    });
  }
  return count / ((performance.now() - started) / 1000);
}

async function closedLoop(platform: Platform, count: number): Promise<{ perSecond: number; latencies: number[] }> {
  const engine = platform.engine as EmbeddedEngine;
  const startedAt = new Map<string, number>();
  const latencies: number[] = [];
  let launched = 0;
  let finished = 0;
  const begin = performance.now();
  await new Promise<void>((resolve, reject) => {
    const launch = () => {
      if (launched >= count) return;
      launched++;
      const t0 = performance.now();
      engine
        .startInstance({ bpmnProcessId: 'bench-five', variables: { passed: true }, actor: 'bench' })
        .then(({ key }) => startedAt.set(key, t0), reject);
    };
    engine.onEvent((event) => {
      if (event.type !== 'instance.completed' || !startedAt.has(event.instanceKey)) return;
      latencies.push(performance.now() - startedAt.get(event.instanceKey)!);
      startedAt.delete(event.instanceKey);
      if (++finished === count) resolve();
      else launch();
    });
    for (let i = 0; i < CONCURRENCY; i++) launch();
  });
  return { perSecond: count / ((performance.now() - begin) / 1000), latencies: latencies.sort((a, b) => a - b) };
}

async function offered(platform: Platform, perSecond: number, seconds: number): Promise<number[]> {
  const engine = platform.engine as EmbeddedEngine;
  const startedAt = new Map<string, number>();
  const latencies: number[] = [];
  const total = perSecond * seconds;
  await new Promise<void>((resolve, reject) => {
    engine.onEvent((event) => {
      if (event.type !== 'instance.completed' || !startedAt.has(event.instanceKey)) return;
      latencies.push(performance.now() - startedAt.get(event.instanceKey)!);
      startedAt.delete(event.instanceKey);
      if (latencies.length === total) resolve();
    });
    const begin = performance.now();
    for (let i = 0; i < total; i++) {
      setTimeout(
        () => {
          const t0 = performance.now();
          engine
            .startInstance({ bpmnProcessId: 'bench-five', variables: { passed: true }, actor: 'bench' })
            .then(({ key }) => startedAt.set(key, t0), reject);
        },
        (i * 1000) / perSecond - (performance.now() - begin),
      );
    }
  });
  return latencies.sort((a, b) => a - b);
}

const database = await benchDatabase();
const platform = await createPlatform(
  loadConfig(
    { ENGINE_THREADS: process.env.ENGINE_THREADS },
    { dataDir: database.dataDir, databaseUrl: database.databaseUrl, seedDemo: false, processesDir: '/nonexistent' },
  ),
  { log: createLogger('error') },
);
try {
  for (const type of TASKS) platform.engine.registerWorker({ type: `bench-${type}`, maxConcurrent: 64, handler: async () => complete({}) });
  await deployRaw(platform, 'bpmn', 'bench-five', flow);
  const peak = rssSampler();
  await closedLoop(platform, 50);
  const bareRate = await bare(Math.min(N, 300));
  const run = await closedLoop(platform, N);
  const at50 = await offered(platform, 50, Number(process.env.BENCH_SECONDS || 10));
  const result = {
    instancesPerSecond: round(run.perSecond),
    p50Ms: round(percentile(run.latencies, 50)),
    p99Ms: round(percentile(run.latencies, 99)),
    p50MsAt50: round(percentile(at50, 50)),
    p99MsAt50: round(percentile(at50, 99)),
    peakRssMb: peak(),
    bareInstancesPerSecond: round(bareRate),
    ratio: round(run.perSecond / bareRate, 2),
    db: database.label,
    instances: N,
    concurrency: CONCURRENCY,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
} finally {
  await platform.close();
  await database.drop();
}
