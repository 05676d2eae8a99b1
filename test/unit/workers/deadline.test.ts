import { expect } from 'chai';
import path from 'node:path';
import { MovableClock } from '../../../server/clock';
import { loadMatters } from '../../../server/matters/catalog';
import { deadlineWorker } from '../../../workers/deadline';
import { runHandler, type Job, type JobOutcome } from '../../../workers/worker';

const matters = loadMatters(path.resolve('processes'));
const at = (shanghaiTime: string) => new Date(`${shanghaiTime}+08:00`);

function job(variables: Record<string, unknown>, headers: Record<string, string> = {}): Job {
  return {
    key: '1',
    type: 'deadline',
    processInstanceKey: '2',
    bpmnProcessId: 'public-place-hygiene-permit-renew',
    processVersion: 1,
    elementId: 'computeDeadline',
    variables,
    headers,
    retries: 3,
    deadline: new Date(Date.now() + 30_000),
  };
}

async function run(
  variables: Record<string, unknown>,
  headers: Record<string, string> = {},
  now = at('2026-03-02T09:00:00'),
): Promise<JobOutcome> {
  const clock = new MovableClock(() => now);
  return runHandler(deadlineWorker({ matters, clock }), job(variables, headers));
}

const renew = { matterSlug: 'public-place-hygiene-permit', action: 'renew', applicationId: 'a1' };

describe('the deadline worker', () => {
  it('is of type deadline', () => {
    expect(deadlineWorker({ matters, clock: new MovableClock() }).type).to.equal('deadline');
  });

  it("reads the matter's promised limit (renew: 10 working days) and answers dueDate and warnAt", async () => {
    const outcome = await run({ ...renew, submittedAt: '2026-02-13T02:00:00.000Z' });
    expect(outcome).to.deep.equal({
      outcome: 'complete',
      variables: { dueDate: at('2026-03-05T23:59:59.999').toISOString(), warnAt: at('2026-03-03T23:59:59.999').toISOString() },
    });
  });

  it('counts the legal limit when the task says timeLimit=legal', async () => {
    const outcome = await run({ ...renew, submittedAt: '2026-02-13T02:00:00.000Z' }, { timeLimit: 'legal' });
    expect(outcome).to.have.nested.property('variables.dueDate', at('2026-03-19T23:59:59.999').toISOString());
  });

  it('takes a timeLimitDays header over the matter (the 5 working days to accept)', async () => {
    const outcome = await run({ ...renew, submittedAt: '2026-09-28T01:00:00.000Z' }, { timeLimitDays: '5' });
    expect(outcome).to.have.nested.property('variables.dueDate', at('2026-10-10T23:59:59.999').toISOString());
  });

  it('takes a timeLimitDays variable when there is no matter', async () => {
    const outcome = await run({ timeLimitDays: 1, submittedAt: '2026-02-13T15:59:59.999Z' });
    expect(outcome).to.have.nested.property('variables.dueDate', '2026-02-14T15:59:59.999Z');
  });

  it('counts from acceptance when it came after submission', async () => {
    const outcome = await run({ timeLimitDays: 1, submittedAt: '2026-02-13T02:00:00.000Z', acceptedAt: '2026-02-14T02:00:00.000Z' });
    expect(outcome).to.have.nested.property('variables.dueDate', '2026-02-24T15:59:59.999Z');
  });

  it('recomputes after each pause: open (held until now), then closed, then with an extension', async () => {
    const base = { ...renew, submittedAt: at('2026-09-28T09:00:00').toISOString() };
    const from = at('2026-09-29T10:00:00').toISOString();
    const before = await run(base);
    const open = await run({ ...base, pauses: [{ from, kind: 'correction' }] }, {}, at('2026-10-12T10:00:00'));
    const closed = await run({ ...base, pauses: [{ from, to: at('2026-10-09T15:00:00').toISOString(), kind: 'correction' }] });
    const extended = await run({
      ...base,
      pauses: [{ from, to: at('2026-10-09T15:00:00').toISOString() }],
      extensions: [{ days: 10, reason: '需专家评审' }],
    });
    expect(before).to.have.nested.property('variables.dueDate', at('2026-10-16T23:59:59.999').toISOString());
    expect(open).to.have.nested.property('variables.dueDate', at('2026-10-23T23:59:59.999').toISOString());
    expect(closed).to.have.nested.property('variables.dueDate', at('2026-10-21T23:59:59.999').toISOString());
    expect(extended).to.have.nested.property('variables.dueDate', at('2026-11-04T23:59:59.999').toISOString());
  });

  it("counts from now in a designer's sandbox try-it without a submission", async () => {
    const outcome = await run({ ...renew, sandbox: true }, {}, at('2026-02-13T10:00:00'));
    expect(outcome).to.have.nested.property('variables.dueDate', at('2026-03-05T23:59:59.999').toISOString());
  });

  it('accepts a suspension where the action allows one', async () => {
    const outcome = await run({
      ...renew,
      submittedAt: '2026-03-02T01:00:00.000Z',
      pauses: [{ from: '2026-03-03T01:00:00.000Z', to: '2026-03-05T01:00:00.000Z', kind: 'suspension' }],
    });
    expect(outcome.outcome).to.equal('complete');
  });

  describe('should NOT guess: an incident at once, naming what is wrong', () => {
    const cases: [string, Record<string, unknown>, Record<string, string>, string][] = [
      ['no submittedAt', { ...renew }, {}, 'submittedAt'],
      ['a submittedAt that is not a time', { ...renew, submittedAt: 'yesterday' }, {}, 'submittedAt'],
      ['an unknown matter', { matterSlug: 'no-such-matter', action: 'apply', submittedAt: '2026-03-02T01:00:00Z' }, {}, 'no-such-matter'],
      [
        'an action the matter lacks',
        { matterSlug: 'publication-licence-reissue', action: 'renew', submittedAt: '2026-03-02T01:00:00Z' },
        {},
        'renew',
      ],
      ['no limit at all', { submittedAt: '2026-03-02T01:00:00Z' }, {}, 'timeLimitDays'],
      [
        'a header limit that is not a number',
        { ...renew, submittedAt: '2026-03-02T01:00:00Z' },
        { timeLimitDays: 'five' },
        'timeLimitDays',
      ],
      [
        'a suspension where none is allowed',
        {
          matterSlug: 'public-place-hygiene-permit',
          action: 'change',
          submittedAt: '2026-03-02T01:00:00Z',
          pauses: [{ from: '2026-03-02T02:00:00Z', kind: 'suspension' }],
        },
        {},
        'suspension',
      ],
      [
        'an extension where none is allowed',
        { matterSlug: 'public-place-hygiene-permit', action: 'change', submittedAt: '2026-03-02T01:00:00Z', extensions: [{ days: 1 }] },
        {},
        'no extension',
      ],
      [
        'an extension beyond the law',
        { ...renew, submittedAt: '2026-03-02T01:00:00Z', extensions: [{ days: 6 }, { days: 5 }] },
        {},
        'at most 10 days',
      ],
      [
        'a pause ending before it starts',
        { ...renew, submittedAt: '2026-03-02T01:00:00Z', pauses: [{ from: '2026-03-05T01:00:00Z', to: '2026-03-04T01:00:00Z' }] },
        {},
        'before it starts',
      ],
    ];
    for (const [name, variables, headers, mention] of cases) {
      it(name, async () => {
        const outcome = await run(variables, headers);
        expect(outcome.outcome).to.equal('fail');
        if (outcome.outcome !== 'fail') return;
        expect(outcome.message).to.contain(mention);
        expect(outcome.retries).to.equal(0);
      });
    }
  });
});
