import type { AddressInfo } from 'node:net';
import http from 'node:http';
import { createApp } from './app';
import type { Config } from './config';
import { createPlatform, type Platform, type PlatformOptions } from './platform';

export interface Running {
  url: string;
  port: number;
  platform: Platform;
  close(): Promise<void>;
}

/** Builds the platform, listens (port 0 picks a free one) and returns the address. */
export async function start(config: Config, options: PlatformOptions = {}): Promise<Running> {
  const platform = await createPlatform(config, options);
  const app = createApp(platform);
  const server = http.createServer(app);
  server.keepAliveTimeout = 5000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
  } catch (error) {
    await platform.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    platform,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await platform.close();
      })();
      return closing;
    },
  };
}
