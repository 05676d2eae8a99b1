import { invalid, valid, type Validation } from './validation';

/** Province-level divisions of GB/T 2260 by their two-digit code, with the one-character abbreviation used in licence numbers. */
export const PROVINCES: Readonly<Record<string, { name: string; short: string }>> = {
  '11': { name: '北京市', short: '京' },
  '12': { name: '天津市', short: '津' },
  '13': { name: '河北省', short: '冀' },
  '14': { name: '山西省', short: '晋' },
  '15': { name: '内蒙古自治区', short: '蒙' },
  '21': { name: '辽宁省', short: '辽' },
  '22': { name: '吉林省', short: '吉' },
  '23': { name: '黑龙江省', short: '黑' },
  '31': { name: '上海市', short: '沪' },
  '32': { name: '江苏省', short: '苏' },
  '33': { name: '浙江省', short: '浙' },
  '34': { name: '安徽省', short: '皖' },
  '35': { name: '福建省', short: '闽' },
  '36': { name: '江西省', short: '赣' },
  '37': { name: '山东省', short: '鲁' },
  '41': { name: '河南省', short: '豫' },
  '42': { name: '湖北省', short: '鄂' },
  '43': { name: '湖南省', short: '湘' },
  '44': { name: '广东省', short: '粤' },
  '45': { name: '广西壮族自治区', short: '桂' },
  '46': { name: '海南省', short: '琼' },
  '50': { name: '重庆市', short: '渝' },
  '51': { name: '四川省', short: '川' },
  '52': { name: '贵州省', short: '贵' },
  '53': { name: '云南省', short: '云' },
  '54': { name: '西藏自治区', short: '藏' },
  '61': { name: '陕西省', short: '陕' },
  '62': { name: '甘肃省', short: '甘' },
  '63': { name: '青海省', short: '青' },
  '64': { name: '宁夏回族自治区', short: '宁' },
  '65': { name: '新疆维吾尔自治区', short: '新' },
  '71': { name: '台湾省', short: '台' },
  '81': { name: '香港特别行政区', short: '港' },
  '82': { name: '澳门特别行政区', short: '澳' },
};

/** Residence permits of Hong Kong, Macao and Taiwan residents carry 810000, 820000 and 830000. */
const WHOLE_REGION_ONLY = new Set(['81', '82', '83']);

/**
 * The shape of a six-digit administrative division code: a known province, and below it a prefecture code
 * other than 00 (the whole-region codes of the permits above excepted). Whether the county exists is not
 * checked: codes of abolished counties stay on the ID numbers issued under them.
 */
export function checkRegionCode(code: string, what: string, options: { national?: boolean } = {}): Validation {
  if (!/^\d{6}$/.test(code)) return invalid(`${what}应为6位数字`);
  const province = code.slice(0, 2);
  if (options.national && code === '100000') return valid;
  if (WHOLE_REGION_ONLY.has(province)) return code.slice(2) === '0000' ? valid : invalid(`${what}“${code}”不存在`);
  if (!PROVINCES[province]) return invalid(`${what}“${code}”的前两位“${province}”不是省级行政区划代码`);
  if (code.slice(2, 4) === '00' && code.slice(4) !== '00') return invalid(`${what}“${code}”不存在`);
  return valid;
}
