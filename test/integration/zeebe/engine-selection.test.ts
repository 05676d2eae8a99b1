import net from 'node:net';
import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../../server/config';
import { sdkConfiguration } from '../../../server/engine/zeebe/cluster';
import { startTestServer } from '../../support/server';

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('Zeebe: choosing the engine (ENGINE) and reaching the cluster', function () {
  this.timeout(60_000);
  const cluster = { ZEEBE_GRPC_ADDRESS: 'grpc://zeebe:26500', ZEEBE_REST_ADDRESS: 'http://zeebe:8080' };

  it('runs the embedded engine unless ENGINE=zeebe, and refuses any other engine', () => {
    expect(loadConfig({}).engine).to.equal('embedded');
    expect(loadConfig({ ENGINE: 'zeebe', ...cluster }).engine).to.equal('zeebe');
    expect(() => loadConfig({ ENGINE: 'camunda7' })).to.throw(ConfigError, 'ENGINE must be "embedded" or "zeebe"');
  });

  it('refuses ENGINE=zeebe without the gateway or the REST address, naming the variable to set', () => {
    expect(() => loadConfig({ ENGINE: 'zeebe', ZEEBE_REST_ADDRESS: cluster.ZEEBE_REST_ADDRESS })).to.throw(
      ConfigError,
      'ZEEBE_GRPC_ADDRESS',
    );
    expect(() => loadConfig({ ENGINE: 'zeebe', ZEEBE_GRPC_ADDRESS: cluster.ZEEBE_GRPC_ADDRESS })).to.throw(
      ConfigError,
      'ZEEBE_REST_ADDRESS',
    );
    expect(loadConfig({ ENGINE: 'zeebe', ZEEBE_ADDRESS: 'zeebe:26500', ZEEBE_REST_ADDRESS: 'http://zeebe:8080' }).engine).to.equal('zeebe');
    expect(loadConfig({}, { engine: 'zeebe', zeebe: cluster }).zeebe).to.deep.equal(cluster);
  });

  it('hands the SDK its settings where it reads them, quiet unless the environment asks otherwise', () => {
    const config = sdkConfiguration({ ZEEBE_GRPC_ADDRESS: 'grpc://x:1', ZEEBE_GRPC_WORKER_POLL_INTERVAL_MS: 20 }, {}) as Record<
      string,
      any
    >;
    expect(config).to.deep.include({ ZEEBE_GRPC_ADDRESS: 'grpc://x:1', CAMUNDA_LOG_LEVEL: 'error' });
    expect(config.zeebeGrpcSettings).to.deep.equal({ ZEEBE_GRPC_WORKER_POLL_INTERVAL_MS: 20, ZEEBE_CLIENT_LOG_LEVEL: 'ERROR' });
    const loud = sdkConfiguration({}, { ZEEBE_CLIENT_LOG_LEVEL: 'DEBUG' }) as Record<string, any>;
    expect(loud.zeebeGrpcSettings).to.deep.equal({});
  });

  it('refuses to start when the cluster does not answer, saying what to check', async () => {
    const port = await closedPort();
    const zeebe = {
      ZEEBE_GRPC_ADDRESS: `grpc://127.0.0.1:${port}`,
      ZEEBE_REST_ADDRESS: `http://127.0.0.1:${port}`,
      CAMUNDA_AUTH_STRATEGY: 'NONE',
      ZEEBE_GRPC_CLIENT_MAX_RETRIES: 0,
      ZEEBE_CLIENT_LOG_LEVEL: 'NONE',
    };
    const started = await startTestServer({ engine: 'zeebe', zeebe }).then(
      async (server) => {
        await server.close();
        return undefined;
      },
      (error: Error) => error,
    );
    expect(started).to.be.an('error');
    expect(started!.message).to.match(/ENGINE=zeebe: the Camunda 8 cluster does not answer .*ZEEBE_GRPC_ADDRESS/);
  });
});
