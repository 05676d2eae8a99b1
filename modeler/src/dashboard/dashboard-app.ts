import type { User } from '../api/types';
import type { Session } from '../session/session';
import { h, replaceChildren } from '../ui/dom';
import { Notice } from '../ui/notice';
import { problemText } from '../api/problem-text';
import { FigureCharts } from './charts';
import type { DashboardApi } from './dashboard-api';
import { FiguresTable } from './figures-table';
import { PeriodPicker } from './period-picker';
import type { Figures, Period } from './types';

/** The administrator's page: the figures of a period per matter, as charts and as a table, refreshed on demand. */
export class DashboardApp {
  private readonly noticeElement = h('div', { class: 'notice', id: 'notice', hidden: true });
  private readonly notice = new Notice(this.noticeElement);
  private readonly picker: PeriodPicker;
  private readonly matter = h('select', { id: 'matter-select', 'aria-label': '事项' }, h('option', { value: '' }, '全部事项'));
  private readonly charts = new FigureCharts();
  private readonly table = new FiguresTable();
  private readonly status = h('span', { class: 'figures-status', 'aria-live': 'polite' });
  private figures: Figures | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly api: DashboardApi,
    private readonly session: Session,
    private readonly user: User,
  ) {
    this.picker = new PeriodPicker((period) => void this.load(period), [this.matter, this.status]);
    this.matter.addEventListener('change', () => this.show());
  }

  async start(): Promise<void> {
    const signOut = h('button', { type: 'button', class: 'link', 'data-action': 'sign-out', onclick: () => this.signOut() }, '退出');
    replaceChildren(
      this.root,
      h(
        'header',
        { class: 'topbar' },
        h('div', { class: 'brand' }, '政务审批 · 运行看板'),
        h('div', { class: 'user', 'data-username': this.user.username }, `${this.user.name}（${this.user.username}）`, signOut),
      ),
      h(
        'main',
        { class: 'main dashboard' },
        h('div', { class: 'dashboard-body' }, this.picker.element, this.charts.element, h('h2', {}, '各事项指标'), this.table.element),
      ),
      this.noticeElement,
    );
    await this.load({});
  }

  signOut(): void {
    this.session.signOut();
    window.location.reload();
  }

  private async load(period: Period): Promise<void> {
    this.status.textContent = '正在统计…';
    try {
      const figures = await this.api.metrics(period);
      this.figures = figures;
      this.picker.show(figures);
      this.fillMatters(figures);
      this.show();
      const now = new Date().toLocaleTimeString('zh-CN', { timeZone: 'Asia/Shanghai', hourCycle: 'h23' });
      this.status.textContent = `${figures.from} 至 ${figures.to} · 更新于 ${now}`;
      this.root.dataset.from = figures.from;
      this.root.dataset.to = figures.to;
    } catch (error) {
      this.status.textContent = '';
      this.notice.show('error', problemText('读取统计数据', error));
    }
  }

  private fillMatters(figures: Figures): void {
    const chosen = this.matter.value;
    replaceChildren(
      this.matter,
      h('option', { value: '' }, '全部事项'),
      ...figures.matters.map((m) => h('option', { value: m.matter }, m.matterName)),
    );
    this.matter.value = figures.matters.some((m) => m.matter === chosen) ? chosen : '';
  }

  private show(): void {
    if (!this.figures) return;
    const shown = this.figures.matters.filter((m) => !this.matter.value || m.matter === this.matter.value);
    this.charts.draw(shown);
    this.table.show(shown);
  }
}
