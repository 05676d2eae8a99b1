import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { generateRegistries } from './generate';

export { generateRegistries, DEFAULT_SEED, PERSON_COUNT, ENTERPRISE_COUNT, type GeneratedRegistries } from './generate';

export interface SeedResult {
  seeded: boolean;
  persons: number;
  enterprises: number;
  licenses: number;
  ms: number;
}

const CHUNK = 500;
/** Held for the transaction, so that two nodes starting together seed once. */
const LOCK_KEY = 730_051_122;

/** A licence id: it is in public verification URLs, so it is a secret, never derived from the seed. */
export const newLicenseId = (): string => crypto.randomBytes(16).toString('base64url');

async function insertAll(trx: Knex.Transaction, table: string, rows: object[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await trx(table).insert(rows.slice(i, i + CHUNK));
}

/**
 * Writes the sample registries when persons, enterprises and licenses are all empty, in one transaction;
 * otherwise leaves everything as it is. `today` (the platform clock) decides which sample licences are still valid.
 */
export async function seedRegistries(knex: Knex, options: { today?: Date; seed?: string } = {}): Promise<SeedResult> {
  const started = performance.now();
  return knex.transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(?)', [LOCK_KEY]);
    const counts = await trx.raw(
      `select (select count(*) from persons)::int as persons, (select count(*) from enterprises)::int as enterprises,
              (select count(*) from licenses)::int as licenses`,
    );
    const existing = counts.rows[0] as { persons: number; enterprises: number; licenses: number };
    if (existing.persons + existing.enterprises + existing.licenses > 0) {
      return { seeded: false, ...existing, ms: Math.round(performance.now() - started) };
    }
    const data = generateRegistries(options);
    await insertAll(trx, 'enterprises', data.enterprises);
    await insertAll(trx, 'persons', data.persons);
    await insertAll(
      trx,
      'licenses',
      data.licenses.map((l) => ({ ...l, id: newLicenseId(), data: JSON.stringify(l.data) })),
    );
    return {
      seeded: true,
      persons: data.persons.length,
      enterprises: data.enterprises.length,
      licenses: data.licenses.length,
      ms: Math.round(performance.now() - started),
    };
  });
}
