import crypto from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(crypto.scrypt) as (password: string, salt: Buffer, keylen: number, options: crypto.ScryptOptions) => Promise<Buffer>;

const PREFIX = 'scrypt';
const DEFAULTS = { N: 2 ** 14, r: 8, p: 1, keyLength: 32, saltLength: 16 };
// Upper bounds on parameters read back from a stored hash, so a bad row cannot make one sign-in eat the memory of the server.
const MAX_N = 2 ** 20;
const MAX_MEMORY = 256 * 1024 * 1024;

interface Parsed {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

/** `scrypt$N$r$p$salt$hash` (salt and hash in base64url): the parameters travel with the hash, so they can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const { N, r, p, keyLength, saltLength } = DEFAULTS;
  const salt = crypto.randomBytes(saltLength);
  const hash = await derive(password, { N, r, p, salt }, keyLength);
  return [PREFIX, N, r, p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

/** True when `password` matches `stored`; false for a wrong password and for a malformed hash, never a throw. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  const candidate = await derive(password, parsed, parsed.hash.length);
  return crypto.timingSafeEqual(candidate, parsed.hash);
}

function derive(password: string, { N, r, p, salt }: Omit<Parsed, 'hash'>, keyLength: number): Promise<Buffer> {
  return scrypt(password.normalize('NFC'), salt, keyLength, { N, r, p, maxmem: MAX_MEMORY });
}

function parse(stored: string): Parsed | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== PREFIX) return undefined;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  const salt = Buffer.from(parts[4], 'base64url');
  const hash = Buffer.from(parts[5], 'base64url');
  const powerOfTwo = Number.isInteger(N) && N > 1 && (N & (N - 1)) === 0;
  if (!powerOfTwo || N > MAX_N || !Number.isInteger(r) || r < 1 || !Number.isInteger(p) || p < 1) return undefined;
  if (128 * N * r > MAX_MEMORY || p > 16 || salt.length < 8 || hash.length < 16) return undefined;
  return { N, r, p, salt, hash };
}
