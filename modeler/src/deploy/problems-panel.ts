import type { Problem } from '../api/types';
import { toChinese } from '../i18n/translate';
import { h, replaceChildren } from '../ui/dom';
import './deploy.css';

export interface ShownProblem {
  elementId?: string;
  rule?: string;
  message: string;
  severity: 'error' | 'warning';
}

/** The list of what stops a deployment (the lint in the browser, or the server's refusal); a click shows the element. */
export class ProblemsPanel {
  readonly element = h('section', { class: 'dock-panel problems', 'aria-label': '问题' });

  /** `select` shows an element on the canvas; `nameOf` says what the designer calls it. */
  constructor(
    private readonly select: (elementId: string) => void,
    private readonly nameOf: (elementId: string) => string = (id) => id,
  ) {}

  show(title: string, problems: ShownProblem[]): void {
    const items = problems.map((problem) =>
      h(
        'li',
        { class: `problem problem-${problem.severity}`, 'data-element-id': problem.elementId ?? '', 'data-rule': problem.rule ?? '' },
        h(
          'button',
          {
            type: 'button',
            class: 'link',
            disabled: !problem.elementId,
            onclick: () => problem.elementId && this.select(problem.elementId),
          },
          problem.elementId ? this.nameOf(problem.elementId) : '文件',
        ),
        h('span', { class: 'problem-message' }, toChinese(problem.message)),
        problem.rule ? h('span', { class: 'problem-rule' }, problem.rule) : null,
      ),
    );
    replaceChildren(this.element, h('h2', {}, title), problems.length ? h('ul', {}, ...items) : h('p', {}, '没有问题。'));
  }
}

/** The server's `{file, elementId?, rule?, message}` problems as shown problems. */
export function fromServer(problems: Problem[], severity: ShownProblem['severity']): ShownProblem[] {
  return problems.map((p) => ({ elementId: p.elementId, rule: p.rule, message: p.message, severity }));
}
