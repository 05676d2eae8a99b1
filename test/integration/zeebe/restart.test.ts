import { expect } from 'chai';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { HYGIENE_CHANGE_FORM } from '../../support/hygiene-change';
import { FakeCluster } from './support/fake-cluster';
import { runPlatform, type PlatformRun } from './support/platform-run';

const HYGIENE = 'public-place-hygiene-permit';
const MAIN = `${HYGIENE}-change`;

/**
 * Feature: on ENGINE=zeebe a restart starts no second instance for one application. A submission whose instance key
 * was never recorded (the server died between CreateProcessInstance and saving the key) is looked up on the cluster
 * by its applicationId before anything is created; one that really never started is started then.
 */
describe('Zeebe: a restart after a crash does not start a second instance for one application', function () {
  this.timeout(90_000);
  let cluster: FakeCluster;
  let database: TestDatabase;
  let first: PlatformRun | undefined;
  let second: PlatformRun | undefined;

  before(async () => {
    cluster = await FakeCluster.start();
    database = await createTestDatabase();
  });
  after(async () => {
    await first?.running.close();
    await second?.running.close();
    await cluster?.stop();
    await database?.drop();
  });

  async function draft(run: PlatformRun, token: string): Promise<string> {
    const created = await run.request('POST', '/api/v1/applications', {
      token,
      json: { matter: HYGIENE, action: 'change', answers: { changeItems: ['legal-representative'], agent: 'self' } },
    });
    expect(created.status, created.text).to.equal(201);
    const patched = await run.request('PATCH', `/api/v1/applications/${created.body.id}`, { token, json: { form: HYGIENE_CHANGE_FORM } });
    expect(patched.status, patched.text).to.equal(200);
    return created.body.id;
  }

  const submit = async (run: PlatformRun, token: string, id: string) => {
    const submitted = await run.request('POST', `/api/v1/applications/${id}/submit`, { token, headers: { 'idempotency-key': `s-${id}` } });
    expect(submitted.status, submitted.text).to.equal(202);
  };

  it('finds the instance the crashed run created, and starts only the one that never started', async () => {
    first = await runPlatform(database, cluster);
    const enterprise = await first.login('enterprise1');
    const designer = await first.login('designer');
    const knex = first.running.platform.db.knex;

    // Crashed after CreateProcessInstance: the instance is on the cluster, its key not in the application.
    const crashed = await draft(first, enterprise);
    const tryIt = await first.request('POST', '/api/v1/process-instances', {
      token: designer,
      json: { bpmnProcessId: MAIN, variables: { applicationId: crashed } },
    });
    expect(tryIt.status, tryIt.text).to.equal(201);
    await submit(first, enterprise, crashed);
    const created = await cluster.state.instanceOf(MAIN, crashed);
    expect(created.key).not.to.equal(tryIt.body.key);
    expect(String((await knex('applications').where({ id: crashed }).first('process_instance_key')).process_instance_key)).to.equal(
      created.key,
    );
    await knex('applications').where({ id: crashed }).update({ process_instance_key: null });

    // Crashed before: the submission committed, the cluster never took the instance.
    const unstarted = 'RESTART-UNSTARTED';
    const now = new Date();
    await knex('applications').insert({
      id: unstarted,
      matter_slug: HYGIENE,
      action: 'change',
      department: 'health',
      applicant_id: 'enterprise3',
      status: 'submitted',
      resume_code: `RC-${unstarted}`,
      case_number: 'CASE-RESTART-2',
      created_at: now,
      updated_at: now,
      submitted_at: now,
    });

    await first.running.close();
    first = undefined;
    const createsBefore = cluster.gateway.requests('CreateProcessInstance').length;
    const restBefore = cluster.rest.calls.length;
    second = await runPlatform(database, cluster);

    const creates = cluster.gateway.requests('CreateProcessInstance').slice(createsBefore);
    expect(creates.map((r) => JSON.parse(r.variables).applicationId)).to.deep.equal([unstarted]);
    const after = second.running.platform.db.knex;
    expect(String((await after('applications').where({ id: crashed }).first('process_instance_key')).process_instance_key)).to.equal(
      created.key,
    );
    const restarted = (await after('applications').where({ id: unstarted }).first('process_instance_key')).process_instance_key;
    expect(String(restarted)).to.equal((await cluster.state.instanceOf(MAIN, unstarted)).key);
    expect(
      [...cluster.state.instances.values()].filter((i) => i.variables.applicationId === crashed && !i.variables.sandbox),
    ).to.have.length(1);

    // The lookups, exactly: the variable by value, the instances it names, and their sandbox flag.
    const searches = cluster.rest.calls.slice(restBefore).filter((c) => c.method === 'POST' && /search$/.test(c.path));
    const page = { from: 0, limit: 1000 };
    expect(searches.filter((c) => c.body.filter.name === 'applicationId').map((c) => [c.path, c.body])).to.deep.equal([
      ['/v2/variables/search', { filter: { name: 'applicationId', value: JSON.stringify(crashed) }, page }],
      ['/v2/variables/search', { filter: { name: 'applicationId', value: JSON.stringify(unstarted) }, page }],
    ]);
    expect(searches.filter((c) => c.path === '/v2/process-instances/search').map((c) => c.body)).to.deep.equal([
      {
        filter: { processInstanceKey: { $in: [tryIt.body.key, created.key] }, processDefinitionId: MAIN },
        sort: [{ field: 'startDate', order: 'ASC' }],
        page,
      },
    ]);
    expect(searches.filter((c) => c.body.filter.name === 'sandbox').map((c) => c.body)).to.deep.equal([
      { filter: { processInstanceKey: { $in: [tryIt.body.key, created.key] }, name: 'sandbox' }, page },
    ]);
    expect(second.log.entries.find((e) => e.message === 'submitted applications started after a stop')?.fields).to.deep.equal({
      applications: 1,
    });
  });
});
