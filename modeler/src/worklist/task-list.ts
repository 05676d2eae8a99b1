import { h, replaceChildren } from '../ui/dom';
import type { Notice } from '../ui/notice';
import { DUE_TEXT, dueStateOf } from './due';
import { problemText } from '../api/problem-text';
import { dateTime } from './format';
import type { TaskFilter, TaskSummary } from './types';
import type { WorklistApi } from './worklist-api';

const STATES: [TaskFilter['state'], string][] = [
  ['open', '待办理'],
  ['claimed', '已认领'],
  ['done', '已办结'],
];

/**
 * The tasks of the clerk's groups with the filters of `GET /tasks` (state, mine, matter, overdue), coloured by due date,
 * a page at a time: the count is the true total, and 加载更多 brings the next page.
 */
export class TaskList {
  readonly element = h('section', { class: 'task-list', 'aria-label': '待办列表' });
  private readonly filter: TaskFilter = { state: 'open', mine: false, matter: '', overdue: false };
  private readonly body = h('tbody');
  private readonly count = h('span', { class: 'task-count', 'aria-live': 'polite' });
  private readonly more = h('button', { type: 'button', class: 'load-more', 'data-action': 'load-more', hidden: true }, '加载更多');
  private tasks: TaskSummary[] = [];
  private total = 0;
  private next: string | undefined;
  private selected: string | undefined;
  /** Counts the list's loads: the answer to an earlier filter must not land in a later one. */
  private loads = 0;

  constructor(
    private readonly api: WorklistApi,
    private readonly notice: Notice,
    matters: { slug: string; name: string }[],
    private readonly onOpen: (task: TaskSummary) => void,
  ) {
    const state = h('select', { id: 'task-state', 'aria-label': '状态' }, ...STATES.map(([value, label]) => h('option', { value }, label)));
    state.addEventListener('change', () => this.change({ state: state.value as TaskFilter['state'] }));
    const matter = h(
      'select',
      { id: 'task-matter', 'aria-label': '事项' },
      h('option', { value: '' }, '全部事项'),
      ...matters.map((m) => h('option', { value: m.slug }, m.name)),
    );
    matter.addEventListener('change', () => this.change({ matter: matter.value }));
    this.more.addEventListener('click', () => void this.loadMore());
    const check = (id: string, label: string, key: 'mine' | 'overdue') => {
      const box = h('input', { type: 'checkbox', id });
      box.addEventListener('change', () => this.change({ [key]: box.checked }));
      return h('label', { class: 'check' }, box, label);
    };
    replaceChildren(
      this.element,
      h(
        'div',
        { class: 'toolbar', role: 'toolbar', 'aria-label': '筛选' },
        state,
        matter,
        check('task-mine', '只看我的', 'mine'),
        check('task-overdue', '已超期', 'overdue'),
        h('button', { type: 'button', 'data-action': 'refresh', onclick: () => this.refresh() }, '刷新'),
        this.count,
      ),
      h(
        'div',
        { class: 'table-scroll' },
        h(
          'table',
          { class: 'tasks' },
          h(
            'thead',
            {},
            h('tr', {}, ...['受理编号 / 申请人', '事项 / 环节', '审查', '办理期限', '认领人'].map((title) => h('th', {}, title))),
          ),
          this.body,
        ),
        this.more,
      ),
    );
  }

  /** The first page of the filter again. */
  async refresh(): Promise<void> {
    await this.load(undefined);
  }

  /** The next page, below the rows already shown. */
  async loadMore(): Promise<void> {
    if (this.next) await this.load(this.next);
  }

  private async load(after: string | undefined): Promise<void> {
    const load = ++this.loads;
    this.element.setAttribute('aria-busy', 'true');
    this.more.disabled = true;
    try {
      const page = await this.api.tasks(this.filter, after);
      if (load !== this.loads) return;
      // A task may move up a page between two loads (another was done meanwhile): show it once.
      const shown = after ? new Set(this.tasks.map((t) => t.id)) : new Set<string>();
      this.tasks = [...(after ? this.tasks : []), ...page.tasks.filter((t) => !shown.has(t.id))];
      this.total = Math.max(page.total, this.tasks.length);
      this.next = page.next;
      this.render();
    } catch (error) {
      this.notice.show('error', problemText(after ? '加载更多待办' : '读取待办', error));
    } finally {
      if (load === this.loads) this.element.removeAttribute('aria-busy');
      this.more.disabled = false;
    }
  }

  /** Marks the open task's row. */
  select(id: string | undefined): void {
    this.selected = id;
    for (const row of this.body.querySelectorAll<HTMLElement>('tr[data-task-id]'))
      row.setAttribute('aria-selected', String(row.dataset.taskId === id));
  }

  private change(part: Partial<TaskFilter>): void {
    Object.assign(this.filter, part);
    void this.refresh();
  }

  private render(): void {
    this.count.textContent = this.total > this.tasks.length ? `共 ${this.total} 件，已显示 ${this.tasks.length} 件` : `共 ${this.total} 件`;
    this.count.dataset.total = String(this.total);
    this.more.hidden = !this.next;
    if (!this.tasks.length) {
      replaceChildren(this.body, h('tr', { class: 'empty' }, h('td', { colspan: 5 }, '没有符合条件的待办')));
      return;
    }
    replaceChildren(this.body, ...this.tasks.map((task) => this.row(task)));
    this.select(this.selected);
  }

  private row(task: TaskSummary): HTMLTableRowElement {
    const application = task.application;
    const due = dueStateOf(task);
    const row = h(
      'tr',
      {
        class: `task due-${due}`,
        tabindex: 0,
        'data-task-id': task.id,
        'data-application-id': application?.id,
        'data-matter': application?.matter,
        'data-due': due,
      },
      h(
        'td',
        {},
        h('div', { class: 'case-number' }, application?.caseNumber ?? '—'),
        h('div', { class: 'applicant' }, application?.applicantName ?? ''),
      ),
      h(
        'td',
        {},
        h('div', {}, application ? `${application.matterName} · ${application.actionName}` : ''),
        h('small', { class: 'hint task-name' }, [task.name, application?.statusText].filter(Boolean).join(' · ')),
      ),
      h(
        'td',
        {},
        application?.blockingFindings
          ? h('span', { class: 'badge badge-block' }, `${application.blockingFindings} 项未通过`)
          : h('span', { class: 'badge badge-pass' }, '通过'),
      ),
      h(
        'td',
        { class: 'due' },
        task.state === 'done' ? `办结于 ${dateTime(task.completedAt)}` : dateTime(task.dueDate),
        DUE_TEXT[due] ? h('span', { class: `badge badge-${due}` }, DUE_TEXT[due]) : null,
      ),
      h('td', {}, task.assignee ?? '未认领'),
    );
    const open = () => this.onOpen(task);
    row.addEventListener('click', open);
    row.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') open();
    });
    return row;
  }
}
