/**
 * ISO 7064 hybrid system MOD (M+1, M), for an alphabet of M characters whose values are their positions.
 *
 * Start with P = M. For each character of value a: S = (P + a) mod M, taking M where that is 0; then
 * P = 2·S mod (M+1). The check character c is the one that makes (P + c) mod M equal 1, so a string with
 * its check character is valid when the S computed over all of it is 1.
 * MOD 37,36 (alphabet 0-9A-Z, M = 36) is what GB/T 36904 prescribes for e-licence identifiers; MOD 11,10
 * (digits) is the same system, and the tests check it against published examples.
 */
export const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const DIGITS = '0123456789';

/** Undefined when the body holds a character outside the alphabet. */
function finalProduct(body: string, alphabet: string): number | undefined {
  const m = alphabet.length;
  let p = m;
  for (const char of body) {
    const value = alphabet.indexOf(char);
    if (value < 0) return undefined;
    const s = (p + value) % m || m;
    p = (2 * s) % (m + 1);
  }
  return p;
}

export function hybridCheckCharacter(body: string, alphabet: string = ALPHANUMERIC): string | undefined {
  const p = finalProduct(body, alphabet);
  if (p === undefined) return undefined;
  const m = alphabet.length;
  return alphabet[(m + 1 - p) % m];
}

export function hybridIsValid(withCheck: string, alphabet: string = ALPHANUMERIC): boolean {
  if (withCheck.length < 2) return false;
  return hybridCheckCharacter(withCheck.slice(0, -1), alphabet) === withCheck.slice(-1);
}
