import { residentId, uscc } from '../identifiers';
import { isLocalDate } from '../calendar/local-date';
import type { FormField } from '../matters/schema';
import type { FieldValue } from '../../workers/prefill/prefill-form';

const MAX_TEXT = { text: 200, textarea: 2000 } as const;
const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE = /^0\d{2,3}-?\d{7,8}(-\d{1,6})?$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,253}\.[^\s@]{2,}$/;

export type Checked = { ok: true; value: FieldValue | null } | { ok: false; message: string };

/**
 * A value the applicant typed into a field, checked by the field's type: a real date, an option that exists, an ID
 * number or USCC whose check digit holds, a phone number that can be dialled. `null` clears the field.
 */
export function checkFieldValue(field: FormField, raw: unknown): Checked {
  if (raw === null) return { ok: true, value: null };
  const fail = (message: string): Checked => ({ ok: false, message });
  const text = typeof raw === 'string' ? raw.trim() : undefined;
  switch (field.type) {
    case 'text':
    case 'textarea': {
      if (text === undefined) return fail(`${field.label}应为文字`);
      if (text.length > MAX_TEXT[field.type]) return fail(`${field.label}不超过${MAX_TEXT[field.type]}字`);
      return { ok: true, value: text };
    }
    case 'number':
      if (typeof raw !== 'number' || !Number.isFinite(raw)) return fail(`${field.label}应为数字`);
      if (raw < 0 || raw > 1e9) return fail(`${field.label}应在0到1000000000之间`);
      return { ok: true, value: raw };
    case 'date':
      if (text === undefined || !isLocalDate(text)) return fail(`${field.label}应为日期，格式YYYY-MM-DD`);
      return { ok: true, value: text };
    case 'select': {
      const options = field.options?.map((o) => o.value) ?? [];
      if (text === undefined || !options.includes(text)) return fail(`${field.label}应为以下之一：${options.join(', ')}`);
      return { ok: true, value: text };
    }
    case 'multiselect': {
      const options = field.options?.map((o) => o.value) ?? [];
      if (!Array.isArray(raw) || raw.some((v) => typeof v !== 'string' || !options.includes(v)))
        return fail(`${field.label}应为以下选项的列表：${options.join(', ')}`);
      return { ok: true, value: [...new Set(raw as string[])] };
    }
    case 'checkbox':
      if (typeof raw !== 'boolean') return fail(`${field.label}应为 true 或 false`);
      return { ok: true, value: raw };
    case 'phone':
      if (text === undefined || !(MOBILE.test(text) || LANDLINE.test(text)))
        return fail(`${field.label}应为11位手机号码或带区号的固定电话`);
      return { ok: true, value: text };
    case 'email':
      if (text === undefined || !EMAIL.test(text)) return fail(`${field.label}不是有效的电子邮箱地址`);
      return { ok: true, value: text };
    case 'id-number': {
      if (text === undefined) return fail(`${field.label}应为身份证号码`);
      const checked = residentId.validate(text.toUpperCase());
      return checked.valid ? { ok: true, value: text.toUpperCase() } : fail(`${field.label}：${checked.reason}`);
    }
    case 'uscc': {
      if (text === undefined) return fail(`${field.label}应为统一社会信用代码`);
      const checked = uscc.validate(text.toUpperCase());
      return checked.valid ? { ok: true, value: text.toUpperCase() } : fail(`${field.label}：${checked.reason}`);
    }
  }
}
