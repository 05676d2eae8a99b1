import crypto from 'node:crypto';
import type { Knex } from 'knex';

// Crockford's base32 without I, L, O, U: read aloud at a counter or typed on a kiosk without confusion.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const LENGTH = 10;

/** The "one code" (办事码) of an application: 10 characters, 50 bits of chance, unique. */
export async function newResumeCode(knex: Knex | Knex.Transaction): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const bytes = crypto.randomBytes(LENGTH);
    const code = [...bytes].map((b) => ALPHABET[b & 31]).join('');
    if (!(await knex('applications').where({ resume_code: code }).first('id'))) return code;
  }
  throw new Error('no free resume code after 5 attempts');
}

/** A code as a person typed it: case, spaces and hyphens do not matter; O, I and L read as 0, 1 and 1. */
export function normalizeResumeCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}
