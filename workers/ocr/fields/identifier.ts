import * as licenseIdentifier from '../../../server/identifiers/license-identifier';
import { ALPHANUMERIC } from '../../../server/identifiers/iso7064';
import { repairReading } from '../../../server/identifiers/ocr-repair';
import * as residentId from '../../../server/identifiers/resident-id';
import * as uscc from '../../../server/identifiers/uscc';
import { LICENSE_TYPES } from '../../../server/registries/license-types';
import type { OcrField } from '../types';
import { distance } from './text';

export type IdentifierKind = 'resident-id' | 'uscc' | 'licence-identifier';

/** One reading of an identifier: the full page's, or a re-read of its region alone. */
export interface Reading {
  text: string;
  /** 0..1 */
  confidence: number;
}

interface Scheme {
  /** The characters a reading of it may hold (lookalikes included), to pick it out of a line. */
  token: RegExp;
  length?: number;
  validate(value: string): { valid: true } | { valid: false; reason: string };
  repair(reading: string): string | undefined;
}

/** The whitelist for re-reading an identifier's region. */
export const WHITELISTS: Record<IdentifierKind, string> = {
  'resident-id': '0123456789X',
  uscc: uscc.CHARSET,
  'licence-identifier': `${ALPHANUMERIC}.`,
};

const SCHEMES: Record<IdentifierKind, Scheme> = {
  'resident-id': {
    token: /[0-9OoIlZzSsBXx]{15,20}/g,
    length: residentId.LENGTH,
    validate: (v) => residentId.validate(v),
    repair: (r) => residentId.repair(r.replace(/x$/, 'X')),
  },
  uscc: {
    token: /[0-9A-Za-z]{16,20}/g,
    length: uscc.LENGTH,
    validate: (v) => uscc.validate(v),
    repair: (r) => uscc.repair(r.toUpperCase().replace(/V/g, 'Y')),
  },
  'licence-identifier': {
    token: /1[.,·][0-9A-Za-z.,·]{40,}/g,
    validate: (v) => licenseIdentifier.validate(v),
    repair: (r) => {
      const text = r.replace(/[,·]/g, '.').toUpperCase();
      const isValid = (c: string) => licenseIdentifier.validate(c).valid;
      const repair = (t: string) =>
        repairReading(t, t.length, (i) => (t[i] === '.' ? '.' : ALPHANUMERIC), isValid) ?? digitForLetter(t, isValid);
      const known = knownTypeCode(text);
      return repair(text) ?? (known && known !== text ? repair(known) : undefined) ?? dropInCode(known ?? text, repair);
    },
  },
};

/** Letters OCR reads as digits; the identifier's serials and check character may hold either. */
const LETTER_LOOKALIKES: Readonly<Record<string, string>> = { '0': 'OD', '1': 'I', '2': 'Z', '5': 'S', '6': 'G', '8': 'B' };

/**
 * The check character read as its lookalike digit (O as 0): tried at the last position only, where any letter may
 * stand; tried everywhere, one swap in some 80 characters would often make another valid identifier by chance.
 */
function digitForLetter(text: string, isValid: (candidate: string) => boolean): string | undefined {
  const found = [...(LETTER_LOOKALIKES[text[text.length - 1]] ?? '')].map((l) => text.slice(0, -1) + l).filter(isValid);
  return found.length === 1 ? found[0] : undefined;
}

const TYPE_CODES = Object.values(LICENSE_TYPES).map((t) => t.code);

/** The reading with its licence type code (21 characters after the root) put right when it is near one of the types we know. */
function knownTypeCode(text: string): string | undefined {
  const parts = text.split('.');
  if (parts.length !== 10) return undefined;
  const near = TYPE_CODES.find((code) => distance(code, parts[5]) <= 2);
  if (!near) return undefined;
  parts[5] = near;
  return parts.join('.');
}

/** Lengths of the identifier's dotted parts: the root's five, type code, issuer code, serial (any), version, check. */
const PART_LENGTHS = [1, 1, 3, 4, 1, 21, 18, 0, 3, 1];

/** The one valid identifier that dropping a character from a part one too long gives (a character read twice). */
function dropInCode(text: string, repair: (t: string) => string | undefined): string | undefined {
  const parts = text.split('.');
  if (parts.length !== PART_LENGTHS.length) return undefined;
  const long = parts.findIndex((p, i) => PART_LENGTHS[i] > 0 && p.length === PART_LENGTHS[i] + 1);
  if (long < 0) return undefined;
  const found = new Set<string>();
  for (let k = 0; k < parts[long].length; k++) {
    const candidate = [...parts.slice(0, long), parts[long].slice(0, k) + parts[long].slice(k + 1), ...parts.slice(long + 1)].join('.');
    const repaired = repair(candidate);
    if (repaired) found.add(repaired);
  }
  return found.size === 1 ? [...found][0] : undefined;
}

function tokens(text: string, scheme: Scheme): string[] {
  const compact = text.normalize('NFKC').replace(/[\s\-_]/g, '');
  return [...compact.matchAll(scheme.token)].map((m) => m[0]).sort((a, b) => b.length - a.length);
}

/** The one valid value a reading with one character too many stands for (tesseract doubles a digit now and then). */
function dropOne(reading: string, scheme: Scheme): string | undefined {
  if (!scheme.length || reading.length !== scheme.length + 1) return undefined;
  const found = new Set<string>();
  for (let i = 0; i < reading.length; i++) {
    const repaired = scheme.repair(reading.slice(0, i) + reading.slice(i + 1));
    if (repaired) found.add(repaired);
  }
  return found.size === 1 ? [...found][0] : undefined;
}

/** Readings that disagree in at most this many places are combined; past it they are too poor to guess from. */
const MAX_DISAGREEMENTS = 8;

/**
 * Two readings of the same length that disagree here and there (one reads S for 9, the other 5 for S): the one valid
 * value that takes each disagreeing character from one reading or the other, after the usual lookalike repair.
 */
function consensus(texts: string[], scheme: Scheme): string | undefined {
  const found = new Set<string>();
  for (let i = 0; i < texts.length; i++) {
    for (let j = i + 1; j < texts.length; j++) {
      const [a, b] = [texts[i].toUpperCase(), texts[j].toUpperCase()];
      if (a.length !== b.length || a === b) continue;
      const places = [...a].flatMap((c, k) => (c === b[k] ? [] : [k]));
      if (places.length > MAX_DISAGREEMENTS) continue;
      for (let mask = 0; mask < 1 << places.length; mask++) {
        const chars = [...a];
        places.forEach((k, bit) => {
          if (mask & (1 << bit)) chars[k] = b[k];
        });
        const candidate = chars.join('');
        const value = scheme.validate(candidate).valid ? candidate : scheme.repair(candidate);
        if (value) found.add(value);
      }
    }
  }
  return found.size === 1 ? [...found][0] : undefined;
}

/**
 * The identifier the readings stand for, by its check character: the first reading valid as it is, else the first
 * one a single repair explains (`repaired`); when none, the best reading `flagged` with the check's reason.
 */
export function resolveIdentifier(kind: IdentifierKind, readings: Reading[]): OcrField | undefined {
  const scheme = SCHEMES[kind];
  const candidates = readings.flatMap((r) => tokens(r.text, scheme).map((text) => ({ text, confidence: r.confidence })));
  if (candidates.length === 0) return undefined;
  for (const c of candidates) if (scheme.validate(c.text).valid) return { value: c.text, confidence: 1 };
  for (const c of candidates) {
    const repaired = scheme.repair(c.text);
    if (repaired) return { value: repaired, confidence: 1, repaired: true };
  }
  for (const c of candidates) {
    const repaired = dropOne(c.text, scheme);
    if (repaired) return { value: repaired, confidence: 1, repaired: true };
  }
  const agreed = consensus(
    candidates.map((c) => c.text),
    scheme,
  );
  if (agreed) return { value: agreed, confidence: 1, repaired: true };
  const best = candidates.find((c) => !scheme.length || c.text.length === scheme.length) ?? candidates[0];
  const check = scheme.validate(best.text);
  const reason = check.valid ? '' : check.reason;
  return { value: best.text, confidence: Math.round(best.confidence * 50) / 100, flagged: reason };
}
