import type { User } from '../api/types';
import type { Session } from '../session/session';
import { h, replaceChildren } from '../ui/dom';
import { Notice } from '../ui/notice';
import { CaseSearch } from './case-search';
import { problemText } from '../api/problem-text';
import { TaskList } from './task-list';
import { TaskPanel } from './task-panel';
import type { WorklistApi } from './worklist-api';

/** The clerk's page: the task list and case search on the left, the open task on the right, the status line. */
export class WorklistApp {
  private readonly notice: Notice;
  private readonly noticeElement = h('div', { class: 'notice', id: 'notice', hidden: true });
  private list: TaskList | undefined;

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
    const panel = new TaskPanel(this.api, this.notice, this.user, () => this.list?.refresh() ?? Promise.resolve());
    const list = new TaskList(this.api, this.notice, matters, (task) => {
      list.select(task.id);
      void panel.openTask(task.id);
    });
    const search = new CaseSearch(this.api, this.notice, (hit) => {
      list.select(undefined);
      void panel.openCase(hit.id);
    });
    this.list = list;
    const signOut = h('button', { type: 'button', class: 'link', 'data-action': 'sign-out', onclick: () => this.signOut() }, '退出');
    replaceChildren(
      this.root,
      h(
        'header',
        { class: 'topbar' },
        h('div', { class: 'brand' }, '政务审批 · 窗口工作台'),
        h('div', { class: 'user', 'data-username': this.user.username }, `${this.user.name}（${this.user.username}）`, signOut),
      ),
      h('main', { class: 'main worklist' }, h('aside', { class: 'worklist-side' }, list.element, search.element), panel.element),
      this.noticeElement,
    );
    await list.refresh();
  }

  signOut(): void {
    this.session.signOut();
    window.location.reload();
  }

  /** The matters whose tasks this user may see, for the matter filter (an administrator's: all of them). */
  private async mattersOfDepartment(): Promise<{ slug: string; name: string }[]> {
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
