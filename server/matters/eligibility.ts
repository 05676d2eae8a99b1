import { dateOfDay, dayNumber, isLocalDate, shanghaiDate, type LocalDate } from '../calendar/local-date';
import type { WorkingCalendar } from '../calendar/working-calendar';
import type { Matter, MatterAction, TimeLimitSpec } from './schema';
import type { EligibilitySources, HeldLicense, LicenseStatus } from './sources';

export interface Caller {
  kind: 'person' | 'enterprise' | 'staff';
  /** USCC of an enterprise, ID number of a person. */
  code: string | null;
}

export interface EligibilityInput {
  matter: Matter;
  action: MatterAction;
  caller: Caller;
  /** The licence the applicant means, when they hold several of the type. */
  licenseId?: string;
  today: LocalDate;
  calendar: WorkingCalendar;
  sources: EligibilitySources;
}

/** What a refusal is about, for a caller that treats them differently (the check after submission). */
export type EligibilityProblemKind =
  /** A person's account for an organisations' matter, or the reverse. */
  | 'account-kind'
  /** The business registry has no enterprise of the caller's USCC. */
  | 'enterprise-missing'
  /** The enterprise is registered but not active (revoked, cancelled…). */
  | 'enterprise-inactive'
  /** The caller holds no licence of the type (or not the chosen one). */
  | 'license-missing'
  /** The licence is suspended, revoked, cancelled or superseded. */
  | 'license-status'
  | 'license-expired'
  /** A renewal before its window opens or after it closes. */
  | 'renewal-window'
  /** Another application for the same licence is open. */
  | 'open-application';

export interface EligibilityProblem {
  kind: EligibilityProblemKind;
  /** In plain Chinese, for the applicant. */
  reason: string;
}

/** `eligible` is undefined when a lookup failed and nothing else refused: the platform cannot tell yet. */
export interface Eligibility {
  eligible: boolean | undefined;
  /** Every refusal's reason, then every lookup that failed. */
  reasons: string[];
  /** The refusals alone, each with what it is about. */
  problems: EligibilityProblem[];
}

const STATUS_TEXT: Record<LicenseStatus, string> = {
  valid: '有效',
  suspended: '暂停',
  revoked: '已吊销或撤销',
  cancelled: '已注销',
  superseded: '已被换发的新证取代',
  expired: '已过期',
};

const UNAVAILABLE = Symbol('unavailable');
/** A lookup that, when it fails, leaves a notice instead of an answer. */
type Ask = <T>(lookup: () => Promise<T>, failure: string) => Promise<T | typeof UNAVAILABLE>;

export const chineseDate = (date: LocalDate): string => {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
};

/** The eligibility pre-check (条件预判) for a signed-in applicant; staff are not checked here. */
export async function checkEligibility(input: EligibilityInput): Promise<Eligibility | undefined> {
  const { matter, action, caller, sources } = input;
  if (caller.kind === 'staff' || !caller.code) return undefined;
  const problems: EligibilityProblem[] = [];
  const refuse = (kind: EligibilityProblemKind, reason: string) => problems.push({ kind, reason });
  const unavailable = new Set<string>();
  const ask: Ask = async (lookup, failure) => {
    try {
      return await lookup();
    } catch {
      unavailable.add(failure);
      return UNAVAILABLE;
    }
  };

  const forPersons = matter.serviceObjects.includes('自然人');
  const forOrganisations = matter.serviceObjects.some((o) => o !== '自然人');
  if (caller.kind === 'person' && !forPersons)
    refuse('account-kind', `本事项的办理对象是${matter.serviceObjects.join('、')}，请使用法人账号登录后办理`);
  if (caller.kind === 'enterprise' && !forOrganisations) refuse('account-kind', '本事项由个人本人办理，请使用个人账号登录后办理');
  if (caller.kind === 'enterprise') {
    const record = await ask(() => sources.enterprise(caller.code!), '暂时无法查询企业登记信息，请稍后再试');
    if (record === null)
      refuse('enterprise-missing', `企业登记信息中没有统一社会信用代码为 ${caller.code} 的市场主体，请核对登录账号或先办理企业登记`);
    else if (record !== UNAVAILABLE && !record.active)
      refuse('enterprise-inactive', `${record.name}的登记状态为"${record.status}"，不能办理本事项`);
  }

  const required = action.requiredLicense;
  if (required) {
    const typeName = matter.licenseTypes.find((t) => t.code === required.licenseType)?.name ?? '许可证';
    const held = await ask(() => sources.licenses(caller.code!, required.licenseType), '暂时无法查询电子证照库，请稍后再试');
    if (held !== UNAVAILABLE) {
      const chosen = input.licenseId ? held.filter((l) => l.id === input.licenseId) : held;
      if (input.licenseId && !chosen.length) refuse('license-missing', `您名下没有这张《${typeName}》，请核对所选证照`);
      else if (!chosen.length) refuse('license-missing', `您名下没有《${typeName}》，${required.purpose}`);
      else {
        const perLicense = await Promise.all(chosen.map((license) => licenseProblems(input, license, typeName, ask)));
        if (!perLicense.some((found) => !found.length)) problems.push(...perLicense.flat());
      }
    }
  }
  return {
    eligible: problems.length ? false : unavailable.size ? undefined : true,
    reasons: [...problems.map((p) => p.reason), ...unavailable],
    problems,
  };
}

async function licenseProblems(input: EligibilityInput, license: HeldLicense, typeName: string, ask: Ask): Promise<EligibilityProblem[]> {
  const { matter, action, today } = input;
  const label = `您的《${typeName}》（编号 ${license.number}）`;
  const until =
    license.validUntil === null ? null : isLocalDate(license.validUntil) ? license.validUntil : shanghaiDate(new Date(license.validUntil));
  if (license.status !== 'valid' && license.status !== 'expired')
    return [{ kind: 'license-status', reason: `${label}状态为"${STATUS_TEXT[license.status]}"，不能办理${action.name}` }];
  if (license.status === 'expired' || (until !== null && until < today)) {
    return [
      {
        kind: 'license-expired',
        reason: `${label}已于${until ? chineseDate(until) : '此前'}到期，不能办理${action.name}${action.renewalWindow ? '，请按新办重新申请' : ''}`,
      },
    ];
  }
  if (action.renewalWindow && until !== null) {
    const opens = shift(input.calendar, until, action.renewalWindow.opensBefore);
    const closes = shift(input.calendar, until, action.renewalWindow.closesBefore);
    if (today < opens)
      return [{ kind: 'renewal-window', reason: `${label}有效期至${chineseDate(until)}，${chineseDate(opens)}起才能申请${action.name}` }];
    if (today > closes) {
      return [
        {
          kind: 'renewal-window',
          reason: `${label}有效期至${chineseDate(until)}，最迟应于${chineseDate(closes)}申请${action.name}（${action.renewalWindow.basis}），已超过期限，请在到期后按新办重新申请`,
        },
      ];
    }
  }
  const open = await ask(
    () => input.sources.openApplication({ matterSlug: matter.slug, licenseId: license.id }),
    '暂时无法查询在办申请，请稍后再试',
  );
  if (open && open !== UNAVAILABLE) {
    return [
      {
        kind: 'open-application',
        reason: `${label}已有一件正在办理的申请${open.caseNumber ? `（办件编号 ${open.caseNumber}）` : ''}，办结或撤回后才能再次申请`,
      },
    ];
  }
  return [];
}

/** The date a time span before `date`: working days by the calendar, calendar days by the date. */
function shift(calendar: WorkingCalendar, date: LocalDate, before: TimeLimitSpec): LocalDate {
  return before.unit === 'working-day' ? calendar.addWorkingDays(date, -before.value) : dateOfDay(dayNumber(date) - before.value);
}
