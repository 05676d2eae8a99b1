import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ServerProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the URL once the ready line is printed; rejects when the process exits first. */
  ready: Promise<string>;
  exited: Promise<number | null>;
}

/** Runs `server/main.ts` as `npm start` does (or another entry that prints the same ready line), in a child process with the given environment. */
export function spawnServer(env: Record<string, string | undefined>, script = path.join(ROOT, 'server', 'main.ts')): ServerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    const onData = () => {
      const match = /ready on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]);
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
  ready.catch(() => {});
  return { child, output: () => out, ready, exited };
}
