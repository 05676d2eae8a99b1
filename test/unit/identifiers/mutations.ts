/** Every string one typing slip away from a value: the errors a check character is there to catch. */

/** Each position replaced by each other character of the alphabet. */
export function substitutions(value: string, alphabet: string): { variant: string; position: number; char: string }[] {
  const out = [];
  for (let position = 0; position < value.length; position++) {
    for (const char of new Set(alphabet)) {
      if (char !== value[position]) out.push({ variant: value.slice(0, position) + char + value.slice(position + 1), position, char });
    }
  }
  return out;
}

/** Two characters `distance` apart swapped (1: neighbours, 2: a jump over one), where they differ. */
export function transpositions(value: string, distance: number): { variant: string; a: string; b: string }[] {
  const out = [];
  for (let i = 0; i + distance < value.length; i++) {
    const a = value[i];
    const b = value[i + distance];
    if (a === b) continue;
    const chars = [...value];
    [chars[i], chars[i + distance]] = [b, a];
    out.push({ variant: chars.join(''), a, b });
  }
  return out;
}

export const PRINTABLE = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz .-_/Ｏ０';
