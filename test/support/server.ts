import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../server/config';
import { MovableClock } from '../../server/clock';
import { createLogger } from '../../server/log';
import { start, type Running } from '../../server/start';
import type { PlatformOptions } from '../../server/platform';
import { createTestDatabase, type TestDatabase } from './database';

export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  token?: string;
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
}

export interface TestServer {
  url: string;
  running: Running;
  clock: MovableClock;
  database: TestDatabase;
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<Reply<T>>;
  /** Signs in a seeded demo user (password `demo`) and returns the bearer token. */
  login(username: string): Promise<string>;
  close(): Promise<void>;
}

export async function request<T = any>(baseUrl: string, method: string, path: string, options: RequestOptions = {}): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body = options.body;
  if (options.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(options.json);
  }
  const response = await fetch(baseUrl + path, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  if ((response.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}

/** The real server on the real database (its own), listening on a free loopback port; `platform` swaps a part (the storage). */
export async function startTestServer(
  overrides: Partial<Config> = {},
  platform: Pick<PlatformOptions, 'storage'> = {},
): Promise<TestServer> {
  const database = await createTestDatabase();
  const clock = new MovableClock();
  const env = { ...process.env };
  delete env.DATABASE_URL;
  const config = loadConfig(env, {
    port: 0,
    host: '127.0.0.1',
    dataDir: database.dataDir,
    databaseUrl: database.databaseUrl,
    seedDemo: true,
    // One development CA for every test server (made once, kept between runs): department keys take seconds to make.
    signingCaDir: path.join(os.tmpdir(), 'approvals-test-signing-ca'),
    ...overrides,
  });
  let running: Running;
  try {
    running = await start(config, { ...platform, clock, log: createLogger(process.env.TEST_LOG_LEVEL || 'silent') });
  } catch (error) {
    await database.drop();
    throw error;
  }
  const tokens = new Map<string, { token: string; at: number }>();
  const server: TestServer = {
    url: running.url,
    running,
    clock,
    database,
    request: (method, path, options) => request(running.url, method, path, options),
    async login(username) {
      // A token is reused while the (movable) clock stays within an hour of its sign-in.
      const cached = tokens.get(username);
      if (cached && Math.abs(clock.now().getTime() - cached.at) < 3_600_000) return cached.token;
      const reply = await server.request('POST', '/api/v1/auth/login', { json: { username, password: 'demo' } });
      if (reply.status !== 200) throw new Error(`login ${username}: ${reply.status} ${reply.text}`);
      tokens.set(username, { token: reply.body.token, at: clock.now().getTime() });
      return reply.body.token;
    },
    async close() {
      await running.close();
      await database.drop();
    },
  };
  return server;
}
