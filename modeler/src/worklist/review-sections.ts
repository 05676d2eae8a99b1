import { h } from '../ui/dom';
import { dateTime, valueText } from './format';
import type { ApplicationView, Correction, Finding, OcrComparison, ReviewPoint } from './types';

const SEVERITY: Record<string, string> = { block: '未通过', warn: '提示' };

/** The review findings: each point's id, its text in the matter's guide, what was found, and the hint for the applicant. */
export function findingsSection(findings: Finding[] | null, points: ReviewPoint[]): HTMLElement {
  if (!findings?.length) return h('p', { class: 'hint findings-none' }, '审查要点全部通过');
  return h(
    'ul',
    { class: 'findings' },
    ...findings.map((finding) => {
      const point = points.find((p) => p.id === finding.point);
      return h(
        'li',
        { class: `finding finding-${finding.severity}`, 'data-point': finding.point },
        h('span', { class: `badge badge-${finding.severity}` }, SEVERITY[finding.severity] ?? finding.severity),
        h('strong', { class: 'point-id' }, finding.point),
        point ? h('span', { class: 'point-text' }, point.text) : null,
        h('p', { class: 'finding-message' }, finding.message),
        point?.hint ? h('p', { class: 'hint point-hint' }, `提示：${point.hint}`) : null,
      );
    }),
  );
}

/** OCR readings beside the form values, the ones that disagree marked; `onCorrect` offers each disagreement for a return. */
export function comparisonSection(rows: OcrComparison[], onCorrect?: (row: OcrComparison) => void): HTMLElement {
  if (!rows.length) return h('p', { class: 'hint' }, '没有可比对的识别结果');
  return h(
    'table',
    { class: 'ocr-comparison' },
    h('thead', {}, h('tr', {}, ...['字段', '申请表填写', '材料识别', '材料', ''].map((t) => h('th', {}, t)))),
    h(
      'tbody',
      {},
      ...rows.map((row) =>
        h(
          'tr',
          { class: row.agrees ? 'agrees' : 'disagrees', 'data-field': row.field, 'data-material': row.material },
          h('td', {}, row.label),
          h('td', { class: 'form-value' }, valueText(row.formValue)),
          h('td', { class: 'ocr-value' }, row.ocrValue),
          h('td', {}, row.material),
          h(
            'td',
            {},
            row.agrees ? h('span', { class: 'badge badge-pass' }, '一致') : h('span', { class: 'badge badge-block' }, '不一致'),
            !row.agrees && onCorrect
              ? h('button', { type: 'button', class: 'link', 'data-action': 'add-correction', onclick: () => onCorrect(row) }, '列入补正')
              : null,
          ),
        ),
      ),
    ),
  );
}

export function timelineSection(timeline: ApplicationView['timeline']): HTMLElement {
  return h(
    'ol',
    { class: 'timeline' },
    ...timeline.map((event) =>
      h(
        'li',
        { class: `event event-${event.kind}` },
        h('time', {}, dateTime(event.at)),
        h('span', { class: 'event-message' }, event.message),
      ),
    ),
  );
}

/** What the last return asked the applicant to correct (一次性告知). */
export function correctionsAskedSection(corrections: Correction[], labelOf: (c: Correction) => string): HTMLElement | null {
  if (!corrections.length) return null;
  return h('ul', { class: 'corrections-asked' }, ...corrections.map((c) => h('li', {}, h('strong', {}, labelOf(c)), `：${c.reason}`)));
}
