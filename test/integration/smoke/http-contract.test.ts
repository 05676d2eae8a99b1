import { expect } from 'chai';
import { startTestServer, type TestServer } from '../../support/server';

describe('HTTP contract', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server?.close());

  it('answers /healthz with the database kind', async () => {
    const reply = await server.request('GET', '/healthz');
    expect(reply.status).to.equal(200);
    expect(reply.body).to.deep.equal({ status: 'ok', database: server.database.kind });
  });

  it('serves the OpenAPI document at /api/docs', async () => {
    const reply = await server.request('GET', '/api/docs');
    expect(reply.status).to.equal(200);
    expect(reply.text).to.match(/^openapi: 3/);
  });

  it('gives 404 in the error shape for an unknown route', async () => {
    for (const path of ['/api/v1/nothing-here', '/nothing-here']) {
      const reply = await server.request('GET', path);
      expect(reply.status, path).to.equal(404);
      expect(reply.body.error.code, path).to.equal('NOT_FOUND');
    }
  });

  it('gives 400 MALFORMED_JSON for a body that is not JSON, with no stack trace', async () => {
    const reply = await server.request('POST', '/api/v1/auth/login', {
      body: '{"username": "x",',
      headers: { 'content-type': 'application/json' },
    });
    expect(reply.status).to.equal(400);
    expect(reply.body.error.code).to.equal('MALFORMED_JSON');
    expect(reply.text).not.to.match(/at .*\.(ts|js):\d+/);
  });

  it('gives 413 for a body over the limit', async () => {
    const reply = await server.request('POST', '/api/v1/auth/login', {
      json: { username: 'x'.repeat(2 * 1024 * 1024), password: 'y' },
    });
    expect(reply.status).to.equal(413);
    expect(reply.body.error.code).to.equal('PAYLOAD_TOO_LARGE');
  });

  it('gives 400 naming each bad field', async () => {
    const reply = await server.request('POST', '/api/v1/auth/login', { json: { username: 7 } });
    expect(reply.status).to.equal(400);
    expect(reply.body.error.code).to.equal('VALIDATION_FAILED');
    const fields = reply.body.error.details.map((d: { field: string }) => d.field);
    expect(fields).to.include('body.username');
    expect(fields).to.include('body.password');
  });

  it('gives 405 for a known path with the wrong method', async () => {
    const reply = await server.request('DELETE', '/api/v1/auth/login');
    expect(reply.status).to.equal(405);
    expect(reply.body.error.code).to.equal('METHOD_NOT_ALLOWED');
  });

  it('exposes Prometheus figures at /metrics, counting requests by route', async () => {
    const reply = await server.request('GET', '/metrics');
    expect(reply.status).to.equal(200);
    expect(reply.text).to.contain('http_requests_total');
    expect(reply.text).to.contain('http_request_duration_seconds_bucket');
    for (const gauge of ['engine_jobs', 'worklist_open_tasks', 'engine_process_instances', 'engine_open_incidents']) {
      expect(reply.text, gauge).to.contain(`# TYPE ${gauge} gauge`);
    }
  });
});
