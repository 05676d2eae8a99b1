import { h } from '../ui/dom';
import { dateTime } from './format';
import type { ActionGuide, ApplicationView } from './types';

/** The task form of the clerk's review, the one task whose case can be suspended or extended (server/worklist/time-limits.ts). */
const REVIEW_FORM = 'common-clerk-review';

export interface TimeLimitHandlers {
  suspend(reason: string): Promise<void>;
  requestExtension(days: number, reason: string): Promise<void>;
}

/** Where a case's suspension stands, read from its timeline: the last 中止 not followed by a 恢复. */
export function suspensionOf(application: ApplicationView): { since: string | null; message: string } | undefined {
  const last = [...application.timeline].reverse().find((e) => e.kind === 'suspension' || e.kind === 'resumption');
  return last?.kind === 'suspension' ? { since: last.at, message: last.message } : undefined;
}

/** Whether the review task in hand may stop its clock: its form is the review and the matter's action allows either. */
export function offersTimeLimits(formId: string | null, rules: ActionGuide | undefined): boolean {
  return formId === REVIEW_FORM && Boolean(rules?.suspensionAllowed || rules?.extension?.allowed);
}

type Button = (label: string, action: string, run: () => Promise<void>) => HTMLButtonElement;

/**
 * What the clerk holding a review can do to its time limit (行政许可法 第四十二条、第四十五条): suspend the case (中止,
 * with the reason; the clock stops until it is resumed) or ask the chief for more working days (延期, with the reason
 * and the days, at most what the law allows). Only the ones the matter's action allows.
 */
export function timeLimitForms(rules: ActionGuide, handlers: TimeLimitHandlers, button: Button): HTMLElement {
  const problem = h('p', { class: 'form-problem', role: 'alert' });
  const suspension = rules.suspensionAllowed
    ? (() => {
        const reason = h('input', { id: 'suspension-reason', placeholder: '中止原因，如等待现场核查、检验检测或专家评审', maxlength: 500 });
        return h(
          'div',
          { class: 'row time-limit-suspension' },
          h('label', { for: 'suspension-reason' }, '中止办理'),
          reason,
          button('中止', 'suspend', async () => {
            const text = reason.value.trim();
            if (!text) {
              problem.textContent = '中止办理须写明原因';
              return;
            }
            problem.textContent = '';
            await handlers.suspend(text);
          }),
        );
      })()
    : null;
  const maxDays = rules.extension?.maxDays;
  const extension = rules.extension?.allowed
    ? (() => {
        const days = h('input', {
          id: 'extension-days',
          type: 'number',
          min: 1,
          max: maxDays,
          step: 1,
          placeholder: '天数',
          class: 'days',
        });
        const reason = h('input', { id: 'extension-reason', placeholder: '延期理由（将告知申请人）', maxlength: 500 });
        return h(
          'div',
          { class: 'row time-limit-extension' },
          h('label', { for: 'extension-days' }, '申请延期'),
          days,
          h('span', {}, '个工作日'),
          reason,
          button('报负责人审批', 'request-extension', async () => {
            const n = Number(days.value);
            const text = reason.value.trim();
            if (!Number.isInteger(n) || n < 1 || (maxDays !== undefined && n > maxDays)) {
              problem.textContent = maxDays ? `延期天数应为 1 至 ${maxDays} 个工作日` : '请填写延期的工作日天数';
              return;
            }
            if (!text) {
              problem.textContent = '申请延期须写明理由';
              return;
            }
            problem.textContent = '';
            await handlers.requestExtension(n, text);
          }),
        );
      })()
    : null;
  return h(
    'details',
    { class: 'time-limits' },
    h('summary', {}, '中止 / 延期'),
    suspension,
    extension,
    rules.extension?.allowed && rules.extension.basis
      ? h('p', { class: 'hint' }, `延期最多 ${maxDays ?? '—'} 个工作日，须经负责人批准。${rules.extension.basis}`)
      : null,
    problem,
  );
}

/** A suspended case: since when and why, and 恢复办理 (with an optional comment), which restarts its clock and reopens the review. */
export function resumptionForm(
  suspension: { since: string | null; message: string },
  resume: (comment: string | undefined) => Promise<void>,
  button: Button,
): HTMLElement {
  const comment = h('input', { id: 'resumption-comment', placeholder: '恢复说明（选填），如现场核查已完成', maxlength: 500 });
  return h(
    'section',
    { class: 'suspension-panel', 'aria-label': '中止办理', 'data-suspended-since': suspension.since ?? '' },
    h(
      'p',
      { class: 'suspension-state' },
      h('span', { class: 'badge badge-warn' }, '已中止'),
      ` ${dateTime(suspension.since)} ${suspension.message}`,
    ),
    h('p', { class: 'hint' }, '中止期间不计入办理期限；恢复后重新计算办理期限，案件回到窗口审查。'),
    h(
      'div',
      { class: 'row' },
      comment,
      button('恢复办理', 'resume', () => resume(comment.value.trim() || undefined)),
    ),
  );
}
