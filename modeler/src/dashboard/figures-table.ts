import { h, replaceChildren } from '../ui/dom';
import { duration, percent } from './format';
import type { MatterFigures } from './types';

/** A column of the table: the figure's name, its value in the answer, and how it reads. */
interface Column {
  id: string;
  title: string;
  value(m: MatterFigures): number | null;
  text(value: number | null): string;
}

const count = (value: number | null) => (value === null ? '—' : String(value));

export const COLUMNS: Column[] = [
  { id: 'applications', title: '申请量', value: (m) => m.applications, text: count },
  { id: 'decided', title: '已决定', value: (m) => m.decided, text: count },
  { id: 'autoApproved', title: '自动审批', value: (m) => m.autoApproved, text: count },
  { id: 'autoApprovalRate', title: '自动审批率', value: (m) => m.autoApprovalRate, text: percent },
  { id: 'prefillRatio', title: '预填比例', value: (m) => m.prefillRatio, text: percent },
  { id: 'exemptionRatio', title: '材料免交比例', value: (m) => m.exemptionRatio, text: percent },
  { id: 'p50', title: '提交至决定（中位数）', value: (m) => m.submitToDecisionHours.p50, text: duration },
  { id: 'p90', title: '提交至决定（90%）', value: (m) => m.submitToDecisionHours.p90, text: duration },
  { id: 'returns', title: '退回补正', value: (m) => m.returns, text: count },
  { id: 'deadlineBreaches', title: '超期', value: (m) => m.deadlineBreaches, text: count },
  { id: 'busiestHour', title: '最忙时段', value: busiestHour, text: (hour) => (hour === null ? '—' : `${hour}:00–${hour + 1}:00`) },
];

/** The hour of the day with the most submissions (the earliest of equals); none when nothing was submitted. */
export function busiestHour(m: MatterFigures): number | null {
  const most = Math.max(...m.busiestHours);
  return most > 0 ? m.busiestHours.indexOf(most) : null;
}

/** Every figure of every matter, as numbers to read beside the charts. */
export class FiguresTable {
  readonly element = h('table', { class: 'figures', id: 'figures-table' });

  show(matters: MatterFigures[]): void {
    replaceChildren(
      this.element,
      h('thead', {}, h('tr', {}, h('th', {}, '事项'), ...COLUMNS.map((c) => h('th', { 'data-figure': c.id }, c.title)))),
      h(
        'tbody',
        {},
        ...matters.map((m) =>
          h(
            'tr',
            { 'data-matter': m.matter },
            h('th', { scope: 'row' }, m.matterName),
            ...COLUMNS.map((c) => {
              const value = c.value(m);
              return h('td', { 'data-figure': c.id, 'data-value': value === null ? '' : String(value) }, c.text(value));
            }),
          ),
        ),
      ),
    );
  }
}
