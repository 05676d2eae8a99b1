/**
 * Canonical JSON as RFC 8785 (JCS) writes it: object keys sorted by UTF-16 code units at every depth, no
 * whitespace, numbers and strings as `JSON.stringify` writes them. An audit row is hashed when appended and
 * hashed again after a round trip through a PostgreSQL `jsonb` column, so only values that come back from
 * `jsonb` exactly as they went in are accepted:
 * - a Date becomes its ISO string (what `jsonb` would give back);
 * - an object property whose value is `undefined` is left out, as `JSON.stringify` and `jsonb` do;
 * - refused: `undefined` in an array or as the value itself, NaN and ±Infinity, bigint, functions, symbols,
 *   invalid Dates, objects that are not plain (Map, Set, Buffer, class instances), cycles, and text holding
 *   NUL or an unpaired surrogate (which `jsonb` rejects).
 */
export class NotCanonicalJson extends TypeError {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${path || 'the value'}: ${reason}`);
    this.name = 'NotCanonicalJson';
  }
}

// Surrogates are common (emoji), so the exact test for an unpaired one runs only when the cheap one finds any.
const SUSPECT_TEXT = /[\u0000\uD800-\uDFFF]/;
const UNSTORABLE_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** `path` names the value in error messages (`data` gives `data.items[2]`). */
export function canonicalJson(value: unknown, path = ''): string {
  try {
    return write(value, new Set());
  } catch (error) {
    if (error instanceof Refusal) throw new NotCanonicalJson(error.segments.reduce(join, path), error.reason);
    throw error;
  }
}

/** Thrown inside and given its path while unwinding, so no path is built for values that are fine. */
class Refusal {
  readonly segments: (string | number)[] = [];
  constructor(readonly reason: string) {}
}

function join(path: string, segment: string | number): string {
  if (typeof segment === 'number') return `${path}[${segment}]`;
  return path ? `${path}.${segment}` : segment;
}

function named(error: unknown, segment: string | number): unknown {
  if (error instanceof Refusal) error.segments.unshift(segment);
  return error;
}

function text(value: string): string {
  if (SUSPECT_TEXT.test(value) && UNSTORABLE_TEXT.test(value)) {
    throw new Refusal('text with a NUL character or an unpaired surrogate cannot be stored in jsonb');
  }
  return JSON.stringify(value);
}

function write(value: unknown, ancestors: Set<object>): string {
  switch (typeof value) {
    case 'string':
      return text(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new Refusal(`${value} is not a JSON number`);
      return JSON.stringify(value);
    case 'object':
      if (value === null) return 'null';
      break;
    case 'bigint':
      throw new Refusal('a bigint is not JSON (write it as a string)');
    default:
      throw new Refusal(`${typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`} is not JSON`);
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new Refusal('an invalid Date');
    return JSON.stringify(value.toISOString());
  }
  if (ancestors.has(value)) throw new Refusal('the value contains itself');
  ancestors.add(value);
  try {
    if (Array.isArray(value)) return writeArray(value, ancestors);
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) {
      throw new Refusal(`a ${value.constructor?.name ?? 'non-plain'} object is not JSON`);
    }
    return writeObject(value as Record<string, unknown>, ancestors);
  } finally {
    ancestors.delete(value);
  }
}

function writeArray(items: unknown[], ancestors: Set<object>): string {
  let out = '[';
  // An index loop, not map(): holes of a sparse array must be seen (and refused) like undefined.
  for (let i = 0; i < items.length; i++) {
    try {
      if (items[i] === undefined) throw new Refusal('undefined in an array would come back as null');
      out += (i ? ',' : '') + write(items[i], ancestors);
    } catch (error) {
      throw named(error, i);
    }
  }
  return out + ']';
}

function writeObject(object: Record<string, unknown>, ancestors: Set<object>): string {
  let out = '{';
  for (const key of Object.keys(object).sort()) {
    const item = object[key];
    if (item === undefined) continue;
    try {
      out += (out.length > 1 ? ',' : '') + text(key) + ':' + write(item, ancestors);
    } catch (error) {
      throw named(error, key);
    }
  }
  return out + '}';
}
