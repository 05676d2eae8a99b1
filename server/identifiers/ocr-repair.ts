/** What OCR usually reads in place of the right character. */
const CONFUSIONS: Readonly<Record<string, string>> = { O: '0', o: '0', I: '1', l: '1', Z: '2', z: '2', S: '5', s: '5', B: '8' };

/** More ambiguous characters than this and the reading is too poor to guess from. */
const MAX_CANDIDATES = 4096;

/** The characters a read character may stand for, among those the identifier allows at its position. */
function readingsOf(char: string, allowed: string): string[] {
  const options = new Set([char, char.toUpperCase(), CONFUSIONS[char], CONFUSIONS[char.toUpperCase()]]);
  return [...options].filter((c): c is string => c !== undefined && c.length === 1 && allowed.includes(c));
}

/**
 * The one valid identifier the reading can stand for, or undefined when none or several can.
 * Spaces, hyphens and full-width characters (common in OCR output and pasted text) are dropped or narrowed first;
 * a reading that is already valid is returned as it is.
 */
export function repairReading(
  reading: string,
  length: number,
  allowedAt: (position: number) => string,
  isValid: (candidate: string) => boolean,
): string | undefined {
  const text = reading.normalize('NFKC').replace(/[\s\-_]/g, '');
  if (isValid(text)) return text;
  if (text.length !== length) return undefined;
  const choices = [...text].map((char, i) => readingsOf(char, allowedAt(i)));
  if (choices.some((c) => c.length === 0)) return undefined;
  if (choices.reduce((n, c) => n * c.length, 1) > MAX_CANDIDATES) return undefined;
  const found: string[] = [];
  const walk = (prefix: string, i: number): void => {
    if (found.length > 1) return;
    if (i === choices.length) {
      if (isValid(prefix)) found.push(prefix);
      return;
    }
    for (const c of choices[i]) walk(prefix + c, i + 1);
  };
  walk('', 0);
  return found.length === 1 ? found[0] : undefined;
}
