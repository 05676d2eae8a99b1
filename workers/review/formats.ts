import type { FormField } from '../../server/matters/schema';

/** A mobile number or a landline with its area code (and extension). */
export const MOBILE_OR_LANDLINE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$/;

/** The largest area a form may state (1 km²): more is a slip of the keyboard, not a public place. */
export const AREA_LIMIT = 1_000_000;
/** Number fields stated in square metres: the guide's label gives the unit. */
export const isArea = (field: FormField) => field.type === 'number' && /平方米|㎡|m²/.test(field.label);

/** Why a stated area is not one, or undefined when it is. */
export function areaProblem(value: unknown): string | undefined {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!/^\d+(\.\d+)?$/.test(text)) return '应为数字';
  const area = Number(text);
  if (area <= 0) return '应大于0';
  if (!/^\d+(\.\d{1,2})?$/.test(text)) return '至多保留两位小数';
  if (area > AREA_LIMIT) return `超过${AREA_LIMIT}平方米，请核对`;
  return undefined;
}
