/** 张伟 → 张*; 上海明德餐饮管理有限公司 → 上海明德****有限公司: lists show enough to recognise a case, no more. */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return name;
  if (chars.length <= 3) return chars[0] + '*'.repeat(chars.length - 1);
  const keep = Math.max(2, Math.floor(chars.length / 3));
  return chars.slice(0, keep).join('') + '****' + chars.slice(chars.length - Math.min(4, keep)).join('');
}

/** 360426199101010071 → 3604**********0071. */
export const maskIdNumber = (code: string): string => (code.length > 8 ? code.slice(0, 4) + '*'.repeat(code.length - 8) + code.slice(-4) : code);
