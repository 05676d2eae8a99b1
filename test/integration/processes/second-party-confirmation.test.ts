import { expect } from 'chai';
import { startTestServer, type TestServer } from '../../support/server';
import { DAY, Lifecycle, SCRIPTED_JOB_TYPES } from './lifecycle';

const STAFF_CHANGE = 'dangerous-goods-staff-employer-change';

describe('dangerous-goods-staff-employer-change-apply: the employee confirms within 3 days', () => {
  let server: TestServer;
  let lifecycle: Lifecycle;

  before(async () => {
    server = await startTestServer({ disabledWorkers: SCRIPTED_JOB_TYPES });
    lifecycle = new Lifecycle(server);
    lifecycle.registerStubs();
  });
  after(() => server?.close());

  /** Submitted, and waiting for the employee's answer. */
  async function awaitingConfirmation() {
    const submitted = await lifecycle.submit(STAFF_CHANGE, 'apply', {}, 'enterprise2');
    await lifecycle.subscribed(submitted.applicationId, 'second-party-confirmed');
    expect(await lifecycle.status(submitted.applicationId)).to.equal('awaiting_confirmation');
    expect(await lifecycle.notifications(submitted.applicationId)).to.deep.equal(['confirmation-requested']);
    return submitted;
  }

  const confirm = (applicationId: string, accepted: boolean) =>
    server.running.platform.engine.publishMessage({
      name: 'second-party-confirmed',
      correlationKey: applicationId,
      variables: { accepted },
    });

  it('reviews and approves automatically once the employee accepts, for the transport department', async () => {
    const { applicationId, key } = await awaitingConfirmation();
    expect((await confirm(applicationId, true)).correlatedInstanceKeys).to.deep.equal([key]);
    const done = await lifecycle.finished(key);
    expect(done.state, JSON.stringify(done.incidents)).to.equal('completed');
    expect(done.variables).to.include({ accepted: true, outcome: 'approved' });
    expect(await lifecycle.timeline(applicationId)).to.deep.equal(['reviewing', 'awaiting_confirmation', 'reviewing', 'approved']);
    expect(await lifecycle.notifications(applicationId)).to.deep.equal(['confirmation-requested', 'approved']);
    expect(await lifecycle.jobTypes(applicationId)).to.include.members(['ocr', 'review', 'esign', 'license-publish', 'archive']);
    expect((await lifecycle.child(key)).variables).to.include({ department: 'transport', autoApproval: true, rejectNeedsChief: false });
  });

  it('closes the application without a review when the employee declines', async () => {
    const { applicationId, key } = await awaitingConfirmation();
    await confirm(applicationId, false);
    const done = await lifecycle.finished(key);
    expect(done.state, JSON.stringify(done.incidents)).to.equal('completed');
    expect(await lifecycle.timeline(applicationId)).to.deep.equal(['reviewing', 'awaiting_confirmation', 'closed']);
    expect((await lifecycle.messages(applicationId)).at(-1)).to.contain('从业人员不同意变更');
    expect(await lifecycle.notifications(applicationId)).to.deep.equal(['confirmation-requested', 'closed']);
    const types = await lifecycle.jobTypes(applicationId);
    expect(types).to.include('archive');
    expect(types).not.to.include('ocr');
  });

  it('closes the application when the employee has not answered after 3 days, and not before', async () => {
    const { applicationId, key } = await awaitingConfirmation();
    await lifecycle.advance(3 * DAY - 60_000);
    expect(await lifecycle.status(applicationId)).to.equal('awaiting_confirmation');
    await lifecycle.advance(2 * 60_000);
    const done = await lifecycle.finished(key);
    expect(done.state, JSON.stringify(done.incidents)).to.equal('completed');
    expect(await lifecycle.timeline(applicationId)).to.deep.equal(['reviewing', 'awaiting_confirmation', 'closed']);
    expect((await lifecycle.messages(applicationId)).at(-1)).to.contain('从业人员逾期未确认');
    expect(await lifecycle.notifications(applicationId)).to.deep.equal(['confirmation-requested', 'closed']);
    expect(await lifecycle.jobTypes(applicationId)).to.include('archive');
    expect((await confirm(applicationId, true)).correlatedInstanceKeys, 'a late answer reaches nothing').to.deep.equal([]);
  });
});
