import type { Api } from '../api/client';
import type { User } from '../api/types';
import { ProcessView } from '../processes/process-view';
import type { Session } from '../session/session';
import { h, replaceChildren } from '../ui/dom';
import { Notice } from '../ui/notice';

interface View {
  element: HTMLElement;
  start(): Promise<void>;
}

interface Tab {
  id: string;
  label: string;
  /** Built on first use: the DMN and form editors load only when their tab is opened. */
  create(): Promise<View>;
  view?: View;
}

/** The page: a top bar with the tabs (process, review table, form) and the user, the open view, the status line. */
export class Shell {
  private readonly notice: Notice;
  private readonly main = h('main', { class: 'main' });
  private readonly tabBar = h('nav', { class: 'tabs', role: 'tablist', 'aria-label': '编辑器' });
  private readonly tabs: Tab[];
  private current: Tab | undefined;

  constructor(
    root: HTMLElement,
    api: Api,
    private readonly session: Session,
    private readonly user: User,
  ) {
    const noticeElement = h('div', { class: 'notice', id: 'notice', hidden: true });
    this.notice = new Notice(noticeElement);
    this.tabs = [
      { id: 'bpmn', label: '流程', create: async () => new ProcessView(api, this.notice, user.username) },
      { id: 'dmn', label: '审查表', create: async () => new (await import('../dmn/dmn-view')).DmnView(api, this.notice) },
      { id: 'form', label: '表单', create: async () => new (await import('../forms/form-view')).FormView(api, this.notice) },
    ];
    const signOut = h('button', { type: 'button', class: 'link', 'data-action': 'sign-out', onclick: () => this.signOut() }, '退出');
    replaceChildren(
      root,
      h(
        'header',
        { class: 'topbar' },
        h('div', { class: 'brand' }, '政务审批 · 流程设计器'),
        this.tabBar,
        h('div', { class: 'user', 'data-username': user.username }, `${user.name}（${user.username}）`, signOut),
      ),
      this.main,
      noticeElement,
    );
  }

  async start(): Promise<void> {
    await this.show('bpmn');
  }

  /** Signs out (or the token expired): the page starts again at the sign-in form. */
  signOut(): void {
    this.session.signOut();
    window.location.reload();
  }

  private async show(id: string): Promise<void> {
    const tab = this.tabs.find((t) => t.id === id);
    if (!tab) return;
    this.current = tab;
    this.renderTabs();
    if (!tab.view) {
      tab.view = await tab.create();
      this.main.appendChild(tab.view.element);
      await tab.view.start();
    }
    for (const other of this.tabs) if (other.view) other.view.element.hidden = other !== tab;
  }

  private renderTabs(): void {
    replaceChildren(
      this.tabBar,
      ...this.tabs.map((tab) =>
        h(
          'button',
          {
            type: 'button',
            role: 'tab',
            'data-tab': tab.id,
            'aria-selected': String(tab === this.current),
            onclick: () => this.show(tab.id),
          },
          tab.label,
        ),
      ),
    );
  }
}
