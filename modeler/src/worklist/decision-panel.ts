import type { User } from '../api/types';
import { h, replaceChildren } from '../ui/dom';
import { CorrectionsBuilder } from './corrections-builder';
import type { Completion, DecisionOption, TaskDetail } from './types';
import type { Colleague } from './worklist-api';

export interface DecisionHandlers {
  claim(): Promise<void>;
  unclaim(): Promise<void>;
  complete(input: Completion, label: string): Promise<void>;
  transfer(to: { user?: string; group?: string; reason?: string }): Promise<void>;
  /** The department's colleagues to offer as transfer targets (besides typing a username). */
  colleagues(): Promise<Colleague[]>;
}

/**
 * What the clerk does with the open task: claim it or give it back, decide with a comment (the decisions its form
 * offers: accept or refuse at acceptance, approve or reject at review, return with the corrections builder), or
 * transfer it (转办) to a colleague or a group of the department.
 */
export class DecisionPanel {
  readonly element = h('section', { class: 'decision-panel', 'aria-label': '办理' });
  readonly corrections: CorrectionsBuilder;
  private decision: DecisionOption | undefined;
  private readonly comment = h('textarea', {
    id: 'decision-comment',
    rows: 2,
    maxlength: 2000,
    placeholder: '办理意见（不予受理、不予许可须写明理由）',
  });
  private readonly problem = h('p', { class: 'form-problem', role: 'alert' });
  private readonly submit = h(
    'button',
    { type: 'button', class: 'primary', 'data-action': 'submit-decision', disabled: true },
    '提交办理意见',
  );
  private readonly decisionButtons: HTMLButtonElement[] = [];

  constructor(
    private readonly task: TaskDetail,
    private readonly options: DecisionOption[],
    private readonly user: User,
    private readonly handlers: DecisionHandlers,
  ) {
    const application = task.application;
    this.corrections = new CorrectionsBuilder(
      task.fields,
      (application?.materials ?? []).filter((m) => m.channel !== 'generated').map((m) => ({ code: m.code, name: m.name })),
    );
    this.corrections.element.hidden = true;
    for (const event of ['input', 'change']) this.element.addEventListener(event, () => (this.problem.textContent = ''));
    this.submit.addEventListener('click', () => void this.decide());
    this.render();
  }

  /** Opens the return with a correction already named (from a disagreement the clerk picked). */
  returnWith(target: { field?: string; material?: string }, reason: string): void {
    const returning = this.options.find((o) => o.value === 'return');
    if (this.task.assignee !== this.user.id || !returning) return;
    this.choose(returning);
    this.corrections.add(target, reason);
  }

  private render(): void {
    const { task, user } = this;
    const mine = task.assignee === user.id;
    const busy = (button: HTMLButtonElement, run: () => Promise<void>) => async () => {
      button.disabled = true;
      try {
        await run();
      } finally {
        button.disabled = false;
      }
    };
    const button = (label: string, action: string, run: () => Promise<void>, primary = false) => {
      const element = h('button', { type: 'button', class: primary ? 'primary' : undefined, 'data-action': action }, label);
      element.addEventListener('click', busy(element, run));
      return element;
    };
    if (task.state === 'done') {
      replaceChildren(this.element, h('p', { class: 'task-state' }, '这项待办已办结'));
      return;
    }
    const claimRow = h(
      'div',
      { class: 'row claim-row' },
      h('span', { class: 'task-state', 'data-assignee': task.assignee ?? '' }, task.assignee ? `已由 ${task.assignee} 认领` : '尚未认领'),
      !mine ? button('认领', 'claim', () => this.handlers.claim(), !task.assignee) : null,
      mine || (task.assignee && user.roles.includes('admin')) ? button('取消认领', 'unclaim', () => this.handlers.unclaim()) : null,
    );
    const decisions = this.options.map((decision) => {
      const element = h(
        'button',
        { type: 'button', class: 'decision', 'data-decision': decision.value, 'aria-pressed': 'false', disabled: !mine },
        decision.label,
      );
      element.addEventListener('click', () => this.choose(decision));
      return element;
    });
    this.decisionButtons.splice(0, this.decisionButtons.length, ...decisions);
    replaceChildren(
      this.element,
      claimRow,
      h(
        'div',
        { class: 'decide', hidden: !mine },
        h('div', { class: 'row decisions', role: 'group', 'aria-label': '办理意见' }, ...decisions),
        this.corrections.element,
        h('label', { class: 'comment' }, '意见', this.comment),
        this.problem,
        this.submit,
      ),
      mine ? null : h('p', { class: 'hint' }, task.assignee ? '只有认领人可以办理' : '认领后才能办理'),
      this.transferForm(button),
    );
  }

  private choose(decision: DecisionOption): void {
    this.decision = decision;
    for (const b of this.decisionButtons) b.setAttribute('aria-pressed', String(b.dataset.decision === decision.value));
    const returning = decision.value === 'return';
    this.corrections.element.hidden = !returning;
    if (returning && this.corrections.size === 0) this.corrections.add();
    this.submit.disabled = false;
    this.problem.textContent = '';
  }

  private async decide(): Promise<void> {
    const decision = this.decision;
    if (!decision) return;
    const comment = this.comment.value.trim();
    let corrections: Completion['corrections'];
    if (decision.value === 'return') {
      const built = this.corrections.corrections();
      if ('problem' in built) {
        this.problem.textContent = built.problem;
        return;
      }
      corrections = built.corrections;
    }
    this.submit.disabled = true;
    try {
      await this.handlers.complete(
        { decision: decision.value, ...(comment ? { comment } : {}), ...(corrections ? { corrections } : {}) },
        decision.label,
      );
    } finally {
      this.submit.disabled = false;
    }
  }

  private transferForm(button: (label: string, action: string, run: () => Promise<void>) => HTMLButtonElement): HTMLElement | null {
    const { task, user } = this;
    if (task.assignee && task.assignee !== user.id && !user.roles.includes('admin')) return null;
    const department = user.department ?? task.candidateGroups[0]?.replace(/-chief$/, '');
    if (!department) return null;
    const target = h(
      'select',
      { id: 'transfer-target', 'aria-label': '转办给' },
      h('option', { value: `group:${department}` }, `本部门窗口岗（${department}）`),
      h('option', { value: `group:${department}-chief` }, `本部门负责人岗（${department}-chief）`),
      h('option', { value: 'user' }, '指定同事…'),
    );
    const colleague = h('input', { id: 'transfer-user', placeholder: '同事的用户名，如 chief.health', hidden: true, maxlength: 100 });
    const typed = target.querySelector('option[value="user"]')!;
    void this.handlers
      .colleagues()
      .then((staff) => {
        for (const c of staff.filter((c) => !c.me))
          target.insertBefore(h('option', { value: `user:${c.id}` }, `同事：${c.name}（${c.id}）`), typed);
      })
      .catch(() => undefined);
    target.addEventListener('change', () => {
      colleague.hidden = target.value !== 'user';
    });
    const reason = h('input', { id: 'transfer-reason', placeholder: '转办原因（选填）', maxlength: 500 });
    const problem = h('p', { class: 'form-problem', role: 'alert' });
    const send = button('转办', 'transfer', async () => {
      const to =
        target.value === 'user'
          ? { user: colleague.value.trim() }
          : target.value.startsWith('user:')
            ? { user: target.value.slice('user:'.length) }
            : { group: target.value.slice('group:'.length) };
      if ('user' in to && !to.user) {
        problem.textContent = '请填写要转给的同事的用户名';
        return;
      }
      problem.textContent = '';
      await this.handlers.transfer({ ...to, ...(reason.value.trim() ? { reason: reason.value.trim() } : {}) });
    });
    return h(
      'details',
      { class: 'transfer' },
      h('summary', {}, '转办'),
      h('div', { class: 'row' }, target, colleague, reason, send),
      problem,
    );
  }
}
