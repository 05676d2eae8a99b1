import { repairReading } from './ocr-repair';
import { checkRegionCode } from './region-code';
import { invalid, valid, type Validation } from './validation';

/**
 * Resident ID number (公民身份号码, GB 11643-1999): six-digit region code, birth date YYYYMMDD, three-digit
 * sequence (odd for men), and a check character by ISO 7064 MOD 11-2 (the weights are 2^(17-i) mod 11).
 */
export const LENGTH = 18;
export const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
export const CHECK_CHARS = '10X98765432';
const EARLIEST_BIRTH_YEAR = 1900;

export type Sex = '男' | '女';

export interface ResidentIdParts {
  regionCode: string;
  /** YYYY-MM-DD */
  birthDate: string;
  sex: Sex;
}

/** The check character for the first 17 digits; undefined when they are not 17 digits. */
export function checkChar(body: string): string | undefined {
  if (!/^\d{17}$/.test(body)) return undefined;
  const sum = WEIGHTS.reduce((s, w, i) => s + w * Number(body[i]), 0);
  return CHECK_CHARS[sum % 11];
}

export function isRealDate(yyyymmdd: string): boolean {
  const [y, m, d] = [yyyymmdd.slice(0, 4), yyyymmdd.slice(4, 6), yyyymmdd.slice(6, 8)].map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Today's date in China (UTC+8), as YYYYMMDD. */
function chinaToday(today: Date): string {
  return new Date(today.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
}

export function validate(value: string, options: { today?: Date } = {}): Validation {
  if (typeof value !== 'string' || value === '') return invalid('请填写身份证号码');
  if (value.length !== LENGTH) return invalid(`身份证号码应为18位，现为${value.length}位`);
  for (let i = 0; i < LENGTH - 1; i++) {
    if (!/\d/.test(value[i])) return invalid(`身份证号码第${i + 1}位“${value[i]}”应为数字`);
  }
  const last = value[LENGTH - 1];
  if (last === 'x') return invalid('身份证号码末位的x应为大写X');
  if (!/[\dX]/.test(last)) return invalid(`身份证号码末位“${last}”应为数字或X`);
  const region = checkRegionCode(value.slice(0, 6), '身份证号码前6位地区码');
  if (!region.valid) return region;
  const birth = value.slice(6, 14);
  if (!isRealDate(birth)) return invalid(`身份证号码中的出生日期“${birth}”不是真实存在的日期`);
  if (Number(birth.slice(0, 4)) < EARLIEST_BIRTH_YEAR) return invalid(`身份证号码中的出生日期“${birth}”早于1900年`);
  if (birth > chinaToday(options.today ?? new Date())) return invalid(`身份证号码中的出生日期“${birth}”晚于今天`);
  if (checkChar(value.slice(0, 17)) !== last) return invalid('身份证号码校验码不符，请逐位核对是否输错');
  return valid;
}

/** Region, birth date and sex read from a valid ID number; undefined when it is not valid. */
export function parse(value: string, options: { today?: Date } = {}): ResidentIdParts | undefined {
  if (!validate(value, options).valid) return undefined;
  const birth = value.slice(6, 14);
  return {
    regionCode: value.slice(0, 6),
    birthDate: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6)}`,
    sex: Number(value[16]) % 2 === 1 ? '男' : '女',
  };
}

/** The unique valid ID number an OCR reading stands for (O→0, I/l→1, Z→2, S→5, B→8, x→X), or undefined. */
export function repair(reading: string, options: { today?: Date } = {}): string | undefined {
  return repairReading(
    reading,
    LENGTH,
    (i) => (i < LENGTH - 1 ? '0123456789' : '0123456789X'),
    (c) => validate(c, options).valid,
  );
}
