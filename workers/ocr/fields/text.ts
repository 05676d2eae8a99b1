import { meanConfidence, type Segment } from '../layout';
import type { OcrField } from '../types';

/** Characters OCR gives for digits inside a number. */
const DIGIT_LOOKALIKES: Readonly<Record<string, string>> = {
  O: '0',
  o: '0',
  D: '0',
  Q: '0',
  I: '1',
  l: '1',
  i: '1',
  '|': '1',
  Z: '2',
  S: '5',
  B: '8',
  g: '9',
};

export const digitsOf = (text: string): string => [...text].map((c) => DIGIT_LOOKALIKES[c] ?? c).join('');

const pad = (n: string): string => n.padStart(2, '0');

/** Every date in the text (2025年06月27日, 2025-06-27, 2025.6.27, 1993 年 5 月 21 日) as YYYY-MM-DD, real dates only. */
export function datesIn(text: string): string[] {
  const found: string[] = [];
  const pattern = /((?:19|20)\d\d)[年\-./]{1,2}(\d{1,2})[月\-./]{1,2}(\d{1,2})(?!\d)/g;
  for (const m of digitsOf(text).matchAll(pattern)) {
    const day = `${m[1]}-${pad(m[2])}-${pad(m[3])}`;
    const date = new Date(`${day}T00:00:00Z`);
    if (!Number.isNaN(date.getTime()) && date.toISOString().startsWith(day)) found.push(day);
  }
  return found;
}

/** Chinese text as printed: OCR punctuation and stray marks dropped, half-width brackets back to full width. */
export function chineseText(text: string): string {
  return text
    .replace(/^[\s:：;；,，.。、|'"“”‘’_\-—~`!！*]+/, '')
    .replace(/[\s|'"“”‘’_~`!！*]+$/, '')
    .replace(/[\s|"“”‘’_~`]/g, '')
    .replace(/\(/g, '（')
    .replace(/\)/g, '）');
}

/** What the standard model reads for the 室 (room) that ends many addresses, after its number. */
const ROOM_MISREADS = /(?<=\d)[宗安空窒宝实]$/;

export const address = (text: string): string => chineseText(text).replace(ROOM_MISREADS, '室');

/** The legal form that ends a company's name, one character of it misread (有限公司 read 有朔公司). */
const COMPANY_ENDINGS: [RegExp, string][] = [
  [/有限.任公司$|有.责任公司$|.限责任公司$/, '有限责任公司'],
  [/股份有.公司$|股.有限公司$/, '股份有限公司'],
  // 有色 (non-ferrous metals) is a word of its own, not a misread 有限.
  [/有[^限色]公司$|.限公司$/, '有限公司'],
];

/** An enterprise's name, its legal form at the end set right when one character of it was misread. */
export function enterpriseName(text: string): string {
  const name = chineseText(text);
  for (const [misread, ending] of COMPANY_ENDINGS) if (misread.test(name)) return name.replace(misread, ending);
  return name;
}

/** A person's name: Chinese characters, and the middle dot of Uyghur and Kazakh names (read as 。 or . often). */
export function personName(text: string): string {
  return chineseText(text)
    .replace(/(?<=[\u3400-\u9fff])[。.•・,，](?=[\u3400-\u9fff])/g, '·')
    .replace(/[^\u3400-\u9fff·]/g, '');
}

/** Edit distance, for matching a reading against a closed list of values. */
export function distance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[y.length];
}

/** The listed value nearest the reading when it is near enough (at most a third of its characters off), else undefined. */
export function nearest(reading: string, values: readonly string[]): { value: string; distance: number } | undefined {
  let best: { value: string; distance: number } | undefined;
  for (const value of values) {
    const d = distance(reading, value);
    if (!best || d < best.distance) best = { value, distance: d };
  }
  if (!best || best.distance > Math.floor([...best.value].length / 3)) return undefined;
  return best;
}

export const field = (value: string, segment: Segment | number | undefined, extra: Partial<OcrField> = {}): OcrField => ({
  value,
  confidence: Math.round((typeof segment === 'number' ? segment : meanConfidence(segment)) * 100) / 100,
  ...extra,
});
