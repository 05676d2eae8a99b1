import { h, replaceChildren } from '../ui/dom';
import { beijingDate } from './format';
import type { Period } from './types';

/** The period of the figures: two dates (Beijing, both included), a few usual spans, and refresh. */
export class PeriodPicker {
  readonly element = h('form', { class: 'toolbar period-picker', 'aria-label': '统计区间' });
  private readonly from = h('input', { type: 'date', id: 'period-from', 'aria-label': '起始日期', required: true });
  private readonly to = h('input', { type: 'date', id: 'period-to', 'aria-label': '截止日期', required: true });

  constructor(
    private readonly onPick: (period: Period) => void,
    extra: HTMLElement[] = [],
  ) {
    const span = (label: string, period: () => Period, id: string) =>
      h('button', { type: 'button', 'data-span': id, onclick: () => this.pick(period()) }, label);
    const today = () => beijingDate();
    replaceChildren(
      this.element,
      h('label', {}, '从 ', this.from),
      h('label', {}, '至 ', this.to),
      h('button', { type: 'submit', class: 'primary', id: 'refresh', 'data-action': 'refresh' }, '刷新'),
      span('近7天', () => ({ from: beijingDate(-6), to: today() }), '7d'),
      span('近30天', () => ({ from: beijingDate(-30), to: today() }), '30d'),
      span('本月', () => ({ from: `${today().slice(0, 7)}-01`, to: today() }), 'month'),
      span('今年', () => ({ from: `${today().slice(0, 4)}-01-01`, to: today() }), 'year'),
      ...extra,
    );
    this.element.addEventListener('submit', (event) => {
      event.preventDefault();
      this.onPick(this.value);
    });
  }

  get value(): Period {
    return { from: this.from.value || undefined, to: this.to.value || undefined };
  }

  /** Shows the period the figures are of (the server's default when none was asked for). */
  show(period: Required<Period>): void {
    this.from.value = period.from;
    this.to.value = period.to;
  }

  private pick(period: Period): void {
    this.from.value = period.from ?? '';
    this.to.value = period.to ?? '';
    this.onPick(period);
  }
}
