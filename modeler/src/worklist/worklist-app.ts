import type { User } from '../api/types';
import type { Session } from '../session/session';
import { h, replaceChildren } from '../ui/dom';
import { Notice } from '../ui/notice';
import { CaseSearch } from './case-search';
import { CounterIntake } from './counter-intake';
import { problemText } from '../api/problem-text';
import { SuspendedCases } from './suspended-cases';
import { TaskList } from './task-list';
import { TaskPanel } from './task-panel';
import type { MatterSummary } from './types';
import type { WorklistApi } from './worklist-api';

/**
 * The clerk's page: the task list and case search on the left, the open task (or the counter intake, 窗口受理) on the
 * right, the status line.
 */
export class WorklistApp {
  private readonly notice: Notice;
  private readonly noticeElement = h('div', { class: 'notice', id: 'notice', hidden: true });
  private list: TaskList | undefined;
  private suspended: SuspendedCases | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly api: WorklistApi,
    private readonly session: Session,
    private readonly user: User,
  ) {
    this.notice = new Notice(this.noticeElement);
  }

  async start(): Promise<void> {
    const matters = await this.mattersOfDepartment();
    const panel = new TaskPanel(
      this.api,
      this.notice,
      this.user,
      async () => {
        await Promise.all([this.list?.refresh(), this.suspended?.refresh()]);
      },
      (taskId) => this.list?.select(taskId),
    );
    const list = new TaskList(this.api, this.notice, matters, (task) => {
      list.select(task.id);
      void panel.openTask(task.id);
    });
    const search = new CaseSearch(this.api, this.notice, (hit) => void panel.openCase(hit.id));
    const suspended = new SuspendedCases(this.api, this.notice, (hit) => void panel.openCase(hit.id));
    this.list = list;
    this.suspended = suspended;
    const counter = this.user.roles.includes('clerk')
      ? h(
          'button',
          {
            type: 'button',
            class: 'primary',
            'data-action': 'counter',
            onclick: () => {
              const intake = new CounterIntake(this.api, this.notice, matters, async (applicationId) => {
                await list.refresh();
                await panel.openCase(applicationId);
              });
              panel.show(intake.element);
            },
          },
          '窗口受理',
        )
      : null;
    const signOut = h('button', { type: 'button', class: 'link', 'data-action': 'sign-out', onclick: () => this.signOut() }, '退出');
    replaceChildren(
      this.root,
      h(
        'header',
        { class: 'topbar' },
        h('div', { class: 'brand' }, '政务审批 · 窗口工作台'),
        counter,
        h('div', { class: 'user', 'data-username': this.user.username }, `${this.user.name}（${this.user.username}）`, signOut),
      ),
      h(
        'main',
        { class: 'main worklist' },
        h('aside', { class: 'worklist-side' }, ...this.tabs(list, suspended), search.element),
        panel.element,
      ),
      this.noticeElement,
    );
    await list.refresh();
  }

  /** 待办 (the task list) and 已中止 (the suspended cases, which have no task while their clock stands still). */
  private tabs(list: TaskList, suspended: SuspendedCases): HTMLElement[] {
    const panels = { tasks: list.element, suspended: suspended.element };
    const tab = (id: keyof typeof panels, label: string) =>
      h('button', { type: 'button', role: 'tab', class: 'side-tab', 'data-tab': id, 'aria-selected': String(id === 'tasks') }, label);
    const tabs = [tab('tasks', '待办'), tab('suspended', '已中止')];
    suspended.element.hidden = true;
    for (const button of tabs)
      button.addEventListener('click', () => {
        const chosen = button.dataset.tab as keyof typeof panels;
        for (const other of tabs) other.setAttribute('aria-selected', String(other === button));
        list.element.hidden = chosen !== 'tasks';
        suspended.element.hidden = chosen !== 'suspended';
        void (chosen === 'tasks' ? list.refresh() : suspended.refresh());
      });
    return [h('div', { class: 'side-tabs', role: 'tablist', 'aria-label': '列表' }, ...tabs), list.element, suspended.element];
  }

  signOut(): void {
    this.session.signOut();
    window.location.reload();
  }

  /** The matters whose tasks this user may see, for the matter filter (an administrator's: all of them). */
  private async mattersOfDepartment(): Promise<MatterSummary[]> {
    try {
      const all = await this.api.matters();
      const admin = this.user.roles.includes('admin');
      return all.filter((m) => admin || m.department.id === this.user.department);
    } catch (error) {
      this.notice.show('error', problemText('读取事项目录', error));
      return [];
    }
  }
}
