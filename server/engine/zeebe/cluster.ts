import { Camunda8, CamundaRestClient, CamundaSDKConfiguration, type Zeebe } from '@camunda8/sdk';
import type { Logger } from '../../log';

/** `@camunda8/sdk` settings by their environment variable names; the SDK reads the environment for the rest. */
export type ClusterSettings = Record<string, string | number | boolean>;

export interface Cluster {
  grpc: Zeebe.ZeebeGrpcClient;
  rest: CamundaRestClient;
  close(): Promise<void>;
}

const GRPC_SETTINGS = new Set(Object.keys(CamundaSDKConfiguration.zeebeGrpcSettings));

// The SDK logs every reconnect at INFO on stdout; the platform's own log says what matters.
const QUIET = { ZEEBE_CLIENT_LOG_LEVEL: 'ERROR', CAMUNDA_LOG_LEVEL: 'error' };

/** The SDK's nested configuration from flat names (`ZEEBE_GRPC_WORKER_POLL_INTERVAL_MS` lives under `zeebeGrpcSettings`). */
export function sdkConfiguration(settings: ClusterSettings = {}, env: NodeJS.ProcessEnv = process.env) {
  const flat: ClusterSettings = { ...settings };
  for (const [name, value] of Object.entries(QUIET)) if (flat[name] === undefined && !env[name]) flat[name] = value;
  const config: Record<string, unknown> = { zeebeGrpcSettings: {} };
  for (const [name, value] of Object.entries(flat)) {
    if (GRPC_SETTINGS.has(name)) (config.zeebeGrpcSettings as Record<string, unknown>)[name] = value;
    else config[name] = value;
  }
  return config as ConstructorParameters<typeof Camunda8>[0];
}

/** One gRPC client (deployments, instances, messages, jobs) and one REST client (user tasks, reads) of the cluster. */
export function connectCluster(settings: ClusterSettings | undefined, log: Logger): Cluster {
  const forward =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (message: string | undefined, ...meta: unknown[]) =>
      log[level](`camunda sdk: ${message ?? ''}`, meta.length ? { meta } : undefined);
  const c8 = new Camunda8({
    ...sdkConfiguration(settings),
    logger: { debug: forward('debug'), trace: forward('debug'), info: forward('info'), warn: forward('warn'), error: forward('error') },
  });
  const grpc = c8.getZeebeGrpcApiClient();
  const rest = c8.getCamundaRestClient();
  return {
    grpc,
    rest,
    async close() {
      await grpc.close();
    },
  };
}
