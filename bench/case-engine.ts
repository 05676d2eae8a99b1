/**
 * What bpmn-engine alone costs for one automatic publication-licence reissue: its process and the shared
 * review-decide-issue it calls, run in memory by the platform's own sessions (the same extension, FEEL and state
 * serialization), every job answered at once, nothing stored, no HTTP, no database. Its rate is the ceiling for
 * bench/e2e on one core. Prints one JSON line. `npx tsx bench/case-engine.ts [--cases 200]`
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { compileBpmn } from '../server/engine/embedded/compiler';
import { InstanceSession, type StepOutcome } from '../server/engine/embedded/instance-runner';
import { round } from './support';

const { values } = parseArgs({ options: { cases: { type: 'string', default: '200' } } });
const CASES = Number(values.cases);

const apply = await compileBpmn(fs.readFileSync('processes/publication-licence-reissue/apply.bpmn', 'utf8'));
const review = await compileBpmn(fs.readFileSync('processes/common/review-decide-issue.bpmn', 'utf8'));
const context = { now: () => new Date(), evaluateDecision: () => null };

/** What each worker answers on the automatic path. */
const ANSWERS: Record<string, Record<string, unknown>> = {
  review: { review: { passed: true, findings: [], tableVersion: 1 } },
};

let steps = 0;

/** Runs one instance to its end, answering its jobs; a call activity runs its process the same way. */
async function run(source: typeof apply, variables: Record<string, unknown>, name: string): Promise<Record<string, unknown>> {
  const session = await InstanceSession.open(name, source, null, context);
  let outcome: StepOutcome = await session.apply({ kind: 'start', variables });
  steps++;
  while (outcome.state === 'active') {
    const job = outcome.jobs[0];
    const call = outcome.calls[0];
    if (call) {
      const result = await run(review, call.variables as Record<string, unknown>, `${name}-review`);
      outcome = await session.apply({ kind: 'signal', executionId: call.executionId, variables: result as any });
    } else if (job) {
      outcome = await session.apply({ kind: 'complete-job', executionId: job.executionId, variables: (ANSWERS[job.type] ?? {}) as any });
    } else throw new Error(`${name} waits on nothing it can answer: ${JSON.stringify(outcome.waiting)}`);
    steps++;
  }
  if (outcome.state !== 'completed') throw new Error(`${name} ended ${outcome.state}: ${JSON.stringify(outcome.incident)}`);
  await session.close();
  return outcome.variables as Record<string, unknown>;
}

const variables = { applicationId: 'bench', matter: 'publication-licence-reissue', action: 'apply', autoApproval: true, caseNumber: 'X' };
for (let i = 0; i < 20; i++) await run(apply, variables, `warm${i}`);
steps = 0;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (let i = 0; i < CASES; i++) await run(apply, variables, `case${i}`);
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
console.log(
  JSON.stringify({
    cases: CASES,
    casesPerSecond: round(CASES / seconds),
    cpuMsPerCase: round((cpu.user + cpu.system) / 1000 / CASES),
    stepsPerCase: round(steps / CASES),
  }),
);
