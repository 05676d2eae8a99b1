import os from 'node:os';
import path from 'node:path';
import { MovableClock } from '../../../../server/clock';
import { loadConfig } from '../../../../server/config';
import type { Logger } from '../../../../server/log';
import { start, type Running } from '../../../../server/start';
import type { TestDatabase } from '../../../support/database';
import { request, type Reply, type RequestOptions } from '../../../support/server';
import type { FakeCluster } from './fake-cluster';

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields: Record<string, unknown>;
}

/** A logger that keeps what the platform says, for a test to read. */
export function recordingLogger(): Logger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const write =
    (level: LogEntry['level']) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      entries.push({ level, message, fields });
  return { entries, debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

export interface PlatformRun {
  running: Running;
  log: ReturnType<typeof recordingLogger>;
  request(method: string, url: string, options?: RequestOptions): Promise<Reply>;
  login(username: string): Promise<string>;
}

/**
 * The real server on ENGINE=zeebe against the fake cluster, on a database the test keeps: a second run on the same
 * database is the server started again after a stop or a crash. What the platform logs is recorded.
 */
export async function runPlatform(database: TestDatabase, cluster: FakeCluster): Promise<PlatformRun> {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  const config = loadConfig(env, {
    port: 0,
    host: '127.0.0.1',
    dataDir: database.dataDir,
    databaseUrl: database.databaseUrl,
    seedDemo: true,
    signingCaDir: path.join(os.tmpdir(), 'approvals-test-signing-ca'),
    engine: 'zeebe',
    zeebe: cluster.settings(),
  });
  const log = recordingLogger();
  const running = await start(config, { clock: new MovableClock(), log });
  const send = (method: string, url: string, options?: RequestOptions) => request(running.url, method, url, options);
  return {
    running,
    log,
    request: send,
    async login(username) {
      const reply = await send('POST', '/api/v1/auth/login', { json: { username, password: 'demo' } });
      if (reply.status !== 200) throw new Error(`login ${username}: ${reply.status} ${reply.text}`);
      return reply.body.token;
    },
  };
}
