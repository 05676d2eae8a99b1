import { repairReading } from './ocr-repair';
import { checkRegionCode } from './region-code';
import { invalid, valid, type Validation } from './validation';

/**
 * Unified social credit code (统一社会信用代码, GB 32100-2015): registration authority, entity type, six-digit
 * region of the registering office, nine-character organisation code (GB 11714), and a check character:
 * values are positions in CHARSET, check = CHARSET[(31 − Σ mod 31) mod 31].
 */
export const LENGTH = 18;
export const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
export const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** GB 32100-2015 appendix A: each registration authority (1st character) and the entity types (2nd) it registers. */
export const AUTHORITIES: Readonly<Record<string, { name: string; types: Readonly<Record<string, string>> }>> = {
  '1': { name: '机构编制', types: { '1': '机关', '2': '事业单位', '3': '中央编办直接管理机构编制的群众团体', '9': '其他' } },
  '2': { name: '外交', types: { '1': '外国常驻新闻机构', '9': '其他' } },
  '3': {
    name: '司法行政',
    types: { '1': '律师执业机构', '2': '公证处', '3': '基层法律服务所', '4': '司法鉴定机构', '5': '仲裁委员会', '9': '其他' },
  },
  '4': { name: '文化', types: { '1': '外国在华文化中心', '9': '其他' } },
  '5': { name: '民政', types: { '1': '社会团体', '2': '民办非企业单位', '3': '基金会', '9': '其他' } },
  '6': { name: '旅游', types: { '1': '外国旅游部门常驻代表机构', '2': '港澳台地区旅游部门常驻内地（大陆）代表机构', '9': '其他' } },
  '7': { name: '宗教', types: { '1': '宗教活动场所', '2': '宗教院校', '9': '其他' } },
  '8': { name: '工会', types: { '1': '基层工会', '9': '其他' } },
  '9': { name: '工商', types: { '1': '企业', '2': '个体工商户', '3': '农民专业合作社' } },
  A: { name: '中央军委改革和编制办公室', types: { '1': '军队事业单位', '9': '其他' } },
  N: { name: '农业', types: { '1': '组级集体经济组织', '2': '村级集体经济组织', '3': '乡镇级集体经济组织', '9': '其他' } },
  Y: { name: '其他', types: { '1': '其他' } },
};

export function checkChar(body: string): string | undefined {
  if (body.length !== LENGTH - 1) return undefined;
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const value = CHARSET.indexOf(body[i]);
    if (value < 0) return undefined;
    sum += value * WEIGHTS[i];
  }
  return CHARSET[(31 - (sum % 31)) % 31];
}

/**
 * The check character of a GB 11714 organisation code body (8 characters, letters worth 10 to 35). Codes carry it
 * as their 9th character; `validate` checks only GB 32100's own check character, the rule DOMAIN.md gives.
 */
export function organizationCheckChar(body: string): string | undefined {
  if (!/^[0-9A-Z]{8}$/.test(body)) return undefined;
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((s, w, i) => s + w * parseInt(body[i], 36), 0);
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

export function validate(value: string): Validation {
  if (typeof value !== 'string' || value === '') return invalid('请填写统一社会信用代码');
  if (value.length !== LENGTH) return invalid(`统一社会信用代码应为18位，现为${value.length}位`);
  for (let i = 0; i < LENGTH; i++) {
    if (!CHARSET.includes(value[i])) {
      return invalid(`统一社会信用代码第${i + 1}位“${value[i]}”不是可用字符（只用数字和大写字母，不用I、O、Z、S、V）`);
    }
  }
  const authority = AUTHORITIES[value[0]];
  if (!authority) return invalid(`统一社会信用代码第1位“${value[0]}”不是登记管理部门代码`);
  if (!authority.types[value[1]]) {
    return invalid(`统一社会信用代码第2位“${value[1]}”不是${authority.name}部门登记的机构类别代码`);
  }
  const region = checkRegionCode(value.slice(2, 8), '统一社会信用代码第3至8位行政区划码', { national: true });
  if (!region.valid) return region;
  if (checkChar(value.slice(0, 17)) !== value[17]) return invalid('统一社会信用代码校验码不符，请逐位核对是否输错');
  return valid;
}

/** The unique valid code an OCR reading stands for (O→0, I/l→1, Z→2, S→5, B→8, lower case → upper case), or undefined. */
export function repair(reading: string): string | undefined {
  return repairReading(
    reading,
    LENGTH,
    () => CHARSET,
    (c) => validate(c).valid,
  );
}
