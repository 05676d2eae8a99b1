import type { ClusterSettings } from '../../../../server/engine/zeebe/cluster';
import { ClusterState } from './cluster-state';
import { FakeGateway } from './fake-gateway';
import { FakeRest } from './fake-rest';

/** A Camunda 8 cluster on loopback for the adapter's protocol tests: the gateway's gRPC API and the `/v2` REST API. */
export class FakeCluster {
  readonly state = new ClusterState();
  readonly gateway = new FakeGateway(this.state);
  readonly rest = new FakeRest(this.state);

  static async start(): Promise<FakeCluster> {
    const cluster = new FakeCluster();
    await cluster.gateway.start();
    await cluster.rest.start();
    return cluster;
  }

  /** The SDK settings that point the platform at this cluster; short polls keep the tests fast. */
  settings(overrides: ClusterSettings = {}): ClusterSettings {
    return {
      ZEEBE_GRPC_ADDRESS: this.gateway.address,
      ZEEBE_REST_ADDRESS: this.rest.address,
      CAMUNDA_AUTH_STRATEGY: 'NONE',
      CAMUNDA_OAUTH_DISABLED: true,
      ZEEBE_GRPC_WORKER_POLL_INTERVAL_MS: 20,
      ZEEBE_GRPC_WORKER_LONGPOLL_SECONDS: 5,
      ZEEBE_GRPC_CLIENT_MAX_RETRIES: 2,
      ZEEBE_CLIENT_LOG_LEVEL: 'NONE',
      CAMUNDA_LOG_LEVEL: 'none',
      ...overrides,
    };
  }

  async stop(): Promise<void> {
    this.gateway.stop();
    await this.rest.stop();
  }
}
