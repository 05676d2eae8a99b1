import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureModelerBuilt } from '../../../modeler/build';
import { startTestServer, type TestServer } from '../../support/server';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

/** The real server on its own database, with the browser apps built (once, when their sources changed). */
export async function startModelerServer(): Promise<TestServer> {
  await ensureModelerBuilt({ log: (line) => process.stdout.write(`      ${line}\n`) });
  const server = await startTestServer();
  const page = await fetch(`${server.url}/modeler/`);
  if (page.status !== 200) {
    await server.close();
    throw new Error(
      `GET /modeler/ answered ${page.status}: server/app.ts must mount staticApps() (server/routes/static-apps.ts) before the API`,
    );
  }
  return server;
}

export function fixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

/** Deploys files as a designer through `POST /deployments`; returns the versions made. */
export async function deployAsDesigner(server: TestServer, files: { name: string; content: string }[]): Promise<Record<string, number>> {
  const body = new FormData();
  for (const file of files) body.append('resources', new Blob([file.content]), file.name);
  const reply = await server.request('POST', '/api/v1/deployments', { token: await server.login('designer'), body });
  if (reply.status !== 201) throw new Error(`deployment refused: ${reply.text}`);
  return Object.fromEntries(reply.body.resources.map((r: { id: string; version: number }) => [r.id, r.version]));
}

export async function latestVersion(
  server: TestServer,
  kind: 'processes' | 'decisions' | 'forms',
  id: string,
): Promise<number | undefined> {
  const reply = await server.request('GET', `/api/v1/${kind}`, { token: await server.login('designer') });
  return reply.body.find((r: { id: string }) => r.id === id)?.version;
}
