import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';

export type Db = Knex;
export type DatabaseKind = 'postgres' | 'pglite';

export interface Database {
  knex: Knex;
  kind: DatabaseKind;
  /** Where it is: the PGlite folder or the PostgreSQL URL without its password. */
  location: string;
  close(): Promise<void>;
}

/** Start refused: the message says what to do. */
export class DatabaseStartError extends Error {}

export const MINIMUM_POSTGRES_VERSION = 150000;

/** knex prints connection errors to the console itself; ours surface as exceptions with a message instead. */
const quietKnexLog = { warn() {}, error() {}, deprecate() {}, debug() {} };

export async function openDatabase(options: { databaseUrl?: string; dataDir: string }): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openPglite(path.join(options.dataDir, 'pglite'));
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

async function openPostgres(url: string): Promise<Database> {
  const location = redactUrl(url);
  const knex = knexFactory({
    client: 'pg',
    connection: { connectionString: url, connectionTimeoutMillis: 5000, application_name: 'approvals-platform' },
    pool: { min: 0, max: Number(process.env.DATABASE_POOL_MAX || 10) },
    acquireConnectionTimeout: 10000,
    log: quietKnexLog,
  });
  let versionNum: number;
  try {
    const result = await knex.raw(`select current_setting('server_version_num')::int as v, current_setting('server_version') as s`);
    versionNum = result.rows[0].v;
    if (versionNum < MINIMUM_POSTGRES_VERSION) {
      await knex.destroy();
      throw new DatabaseStartError(
        `PostgreSQL at ${location} is version ${result.rows[0].s}; the platform needs 15 or newer. ` +
          'Upgrade the server, point DATABASE_URL at a newer one, or unset DATABASE_URL to use the embedded PGlite.',
      );
    }
  } catch (error) {
    if (error instanceof DatabaseStartError) throw error;
    await knex.destroy().catch(() => {});
    const reason = (error as { code?: string; message?: string }).code || (error as Error).message;
    throw new DatabaseStartError(
      `Cannot reach PostgreSQL at ${location} (${reason}). Start the database server and check DATABASE_URL, ` +
        'or unset DATABASE_URL to run on the embedded PGlite under DATA_DIR.',
    );
  }
  return { knex, kind: 'postgres', location, close: () => knex.destroy() };
}

async function openPglite(dir: string): Promise<Database> {
  fs.mkdirSync(dir, { recursive: true });
  const releaseLock = lockDirectory(dir);
  try {
    // Loaded only here: PGlite's WebAssembly costs about 50 MB of memory a server on PostgreSQL does not need.
    const { default: ClientPgLite } = await import('knex-pglite');
    const knex = knexFactory({
      client: ClientPgLite as unknown as typeof knexFactory.Client,
      dialect: 'postgres',
      connection: { filename: dir } as Knex.StaticConnectionConfig,
      log: quietKnexLog,
    });
    await knex.raw('select 1');
    return {
      knex,
      kind: 'pglite',
      location: dir,
      close: async () => {
        try {
          await knex.destroy();
        } finally {
          releaseLock();
        }
      },
    };
  } catch (error) {
    releaseLock();
    throw new DatabaseStartError(
      `Cannot open the embedded database in ${dir}: ${(error as Error).message}. ` +
        'If the folder was copied or damaged, move it away (the platform creates a new one) or set DATA_DIR to another folder.',
    );
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite is one process, one connection: a second process opening the same folder corrupts it.
 * The lock is a file naming the holder's pid; a lock whose process is gone (killed) is taken over.
 */
export function lockDirectory(dir: string): () => void {
  const lockPath = path.join(dir, 'platform.lock');
  const temp = `${lockPath}.${process.pid}.${Date.now()}`;
  fs.writeFileSync(temp, String(process.pid));
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        fs.linkSync(temp, lockPath);
        return () => fs.rmSync(lockPath, { force: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const holder = Number(fs.readFileSync(lockPath, 'utf8').trim());
        if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && processAlive(holder)) {
          throw new DatabaseStartError(
            `The embedded database in ${dir} is in use by process ${holder} (a running server?). ` +
              'Stop that process, or call its HTTP API instead, or set DATA_DIR to another folder.',
          );
        }
        fs.rmSync(lockPath, { force: true });
      }
    }
    throw new DatabaseStartError(`Could not take the lock ${lockPath}; another process keeps taking it.`);
  } finally {
    fs.rmSync(temp, { force: true });
  }
}
