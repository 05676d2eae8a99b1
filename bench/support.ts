import net from 'node:net';
import { createTestDatabase, type TestDatabase } from '../test/support/database';

/** The database a benchmark runs on: DATABASE_URL, else the local PostgreSQL when it answers, else PGlite. */
export async function benchDatabase(): Promise<TestDatabase & { label: string }> {
  if (!process.env.DATABASE_URL && (await answers('127.0.0.1', 5432)))
    process.env.DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
  const database = await createTestDatabase();
  return { ...database, label: database.kind === 'postgres' ? 'postgresql' : 'pglite' };
}

function answers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 500 }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Samples the resident set size until stopped; returns the peak in MB. */
export function rssSampler(): () => number {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  return () => {
    clearInterval(timer);
    return round(Math.max(peak, process.memoryUsage().rss) / 1024 / 1024);
  };
}
