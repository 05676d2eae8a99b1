import { expect } from 'chai';
import { checkChar } from '../../../server/identifiers/resident-id';
import { decide, HYGIENE, openTaskOf, submitFlawedChange } from '../../support/clerk-cases';
import { eventually } from '../../support/engine';
import { startTestServer, type TestServer } from '../../support/server';

const PERSON_ID = '360426199101010071'; // applicant1, 张伟, in the population registry
const SEARCHED_ID = '11010519491231002X'; // applicant2, 李娜

/** The counter finding a person by ID number, the case search by ID number, and the 不予受理 letter signed for real. */
describe('Counter and case search by resident ID number; a refusal at acceptance signed with the department key', function () {
  this.timeout(180_000);
  let server: TestServer;
  let clerk: string;
  const knex = () => server.running.platform.db.knex;

  before(async () => {
    server = await startTestServer();
    clerk = await server.login('clerk.health');
  });
  after(() => server?.close());

  it('at the counter a clerk finds a person by resident ID number: the matter then says whom it serves; an unknown number is 404', async () => {
    // Found in the population registry (applicant1, 张伟): the hygiene permit serves organisations only, and says so.
    const drafts = async () => Number((await knex()('applications').where({ channel: 'counter' }).count({ n: '*' }))[0].n);
    const before = await drafts();
    const person = await server.request('POST', '/api/v1/counter/applications', {
      token: clerk,
      json: {
        holder: PERSON_ID,
        matter: HYGIENE,
        action: 'apply',
        answers: { venueType: 'accommodation', commitmentMode: 'standard', airConditioning: 'yes', agent: 'self' },
      },
    });
    expect(person.status, person.text).to.equal(422);
    expect(person.body.error).to.include({ code: 'NOT_ELIGIBLE' });
    expect(person.body.error.message).to.contain('本事项的办理对象是企业法人');
    expect(await drafts(), 'no draft made').to.equal(before);

    // A well-formed number the population registry does not know: nobody to act for.
    const body = '11010519800101123';
    const unknown = await server.request('POST', '/api/v1/counter/applications', {
      token: clerk,
      json: { holder: body + checkChar(body), matter: HYGIENE, action: 'apply', answers: {} },
    });
    expect(unknown.status).to.equal(404);
    expect(unknown.body.error.message).to.contain('人口库中没有');
  });

  it('should NOT leave an account behind when the counter request is refused (a person for a matter of enterprises: 422)', async () => {
    // A person in the population registry who has never signed in: no account yet.
    const { id_number: stranger } = await knex()('persons as p')
      .whereNotExists(knex()('users as u').whereRaw('u.id_number = p.id_number'))
      .first('p.id_number');
    const refused = await server.request('POST', '/api/v1/counter/applications', {
      token: clerk,
      json: {
        holder: stranger,
        matter: HYGIENE,
        action: 'apply',
        answers: { venueType: 'accommodation', commitmentMode: 'standard', airConditioning: 'yes', agent: 'self' },
      },
    });
    expect(refused.status, refused.text).to.equal(422);
    expect(await knex()('users').where({ id_number: stranger }).first(), 'no account made').to.equal(undefined);
  });

  /** Cases of applicant2 in a department, as the platform numbers them (the search reads only the applications table). */
  const seedCases = async (count: number, department = 'health') => {
    const now = new Date();
    const rows = Array.from({ length: count }, (_, i) => ({
      id: `SEARCH-${department}-${i}-${now.getTime()}`,
      matter_slug: department === 'health' ? HYGIENE : 'publication-licence-reissue',
      action: 'apply',
      department,
      applicant_id: 'applicant2',
      status: 'manual_review',
      resume_code: `RC-${department}-${i}-${now.getTime()}`,
      case_number: `SRCH-${department}-${now.getTime()}-${i}`,
      created_at: now,
      updated_at: now,
      submitted_at: new Date(now.getTime() - i * 60_000),
    }));
    await knex()('applications').insert(rows);
    return rows;
  };

  it("finds a person's cases by their ID number (a lowercase x too), names masked and no ID number in the list", async () => {
    const [health] = await seedCases(1);
    const [culture] = await seedCases(1, 'culture');
    for (const q of [SEARCHED_ID, SEARCHED_ID.toLowerCase()]) {
      const found = await server.request('GET', `/api/v1/cases?q=${q}`, { token: clerk });
      expect(found.status, found.text).to.equal(200);
      expect(found.body.map((c: any) => c.id)).to.deep.equal([health.id]);
      expect(found.body[0]).to.include({ caseNumber: health.case_number, applicantName: '李*', status: 'manual_review' });
      expect(found.text).not.to.contain(SEARCHED_ID);
      expect(found.headers.get('x-truncated')).to.equal(null);
    }
    const cultureClerk = await server.login('clerk.culture');
    expect(
      (await server.request('GET', `/api/v1/cases?q=${SEARCHED_ID}`, { token: cultureClerk })).body.map((c: any) => c.id),
    ).to.deep.equal([culture.id]);
  });

  it('says when the search shows only the newest 100 of the cases found', async () => {
    await seedCases(101);
    const found = await server.request('GET', `/api/v1/cases?q=${SEARCHED_ID}`, { token: clerk });
    expect(found.status).to.equal(200);
    expect(found.body).to.have.length(100);
    expect(found.headers.get('x-truncated')).to.equal('true');
    const times = found.body.map((c: any) => c.submittedAt);
    expect(times).to.deep.equal([...times].sort().reverse());
  });

  it('an unclaimed task cannot be completed (409); 不予受理 with its reason gets a letter signed with the department key', async () => {
    const enterprise = await server.login('enterprise1');
    const id = await submitFlawedChange(server, enterprise);
    const acceptance = await openTaskOf(server, clerk, id, 'common-clerk-acceptance');
    const unclaimed = await server.request('POST', `/api/v1/tasks/${acceptance.id}/complete`, {
      token: clerk,
      json: { decision: 'refuse', comment: '不属于本机关职权范围' },
    });
    expect(unclaimed.status).to.equal(409);
    expect(unclaimed.body.error.message).to.equal('请先认领再办理');
    expect((await server.request('GET', `/api/v1/tasks/${acceptance.id}`, { token: clerk })).body).to.include({ state: 'open' });

    const refused = await decide(server, clerk, acceptance.id, { decision: 'refuse', comment: '不属于本机关职权范围' });
    expect(refused.status, refused.text).to.equal(200);
    const letter = await eventually(
      () => knex()('documents').where({ application_id: id, kind: 'refusal-notice' }).first('sha256', 'signer'),
      (row) => Boolean(row),
      30_000,
    );
    const bytes = await server.running.platform.storage.get(letter.sha256);
    const body = new FormData();
    body.append('file', new Blob([new Uint8Array(bytes)], { type: 'application/pdf' }), 'refusal.pdf');
    const verified = await server.request('POST', '/api/v1/licenses/verify', { body });
    expect(verified.status, verified.text).to.equal(200);
    expect(verified.body).to.include({ issuedHere: true, kind: 'refusal-notice' });
    expect(verified.body.signature).to.include({ valid: true, trusted: true, coversWholeDocument: true });
    expect(verified.body.signature.signer).to.contain(letter.signer);
    const view = (await server.request('GET', `/api/v1/applications/${id}`, { token: enterprise })).body;
    expect(view.status).to.equal('closed');
  });
});
