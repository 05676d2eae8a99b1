import DmnModeler from 'dmn-js/lib/Modeler';
import 'dmn-js/dist/assets/diagram-js.css';
import 'dmn-js/dist/assets/dmn-js-shared.css';
import 'dmn-js/dist/assets/dmn-js-drd.css';
import 'dmn-js/dist/assets/dmn-js-decision-table.css';
import 'dmn-js/dist/assets/dmn-js-decision-table-controls.css';
import 'dmn-js/dist/assets/dmn-js-literal-expression.css';
import 'dmn-js/dist/assets/dmn-js-boxed-expression.css';
import 'dmn-js/dist/assets/dmn-js-boxed-expression-controls.css';
import 'dmn-js/dist/assets/dmn-font/css/dmn.css';
import type { Api } from '../api/client';
import { DeployedList } from '../deploy/deployed-list';
import { DeployedPicker } from '../deploy/deployed-picker';
import { deployFile } from '../deploy/deploy';
import { ProblemsPanel } from '../deploy/problems-panel';
import { translateModule } from '../i18n/translate';
import { ask } from '../ui/ask';
import { download, h, pickFile, replaceChildren } from '../ui/dom';
import type { Notice } from '../ui/notice';
import { newReviewTableXml } from './new-review-table';

const SLUG_PATTERN = { source: '[a-z][a-z0-9\\-]*[a-z0-9]', hint: '事项目录名，如 public-place-hygiene-permit' };

/**
 * The review tables tab: a matter's `review.dmn` in dmn-js, deployed as the processes are; a deployed decision and
 * version can be picked and opened, and deploying a change makes its next version.
 */
export class DmnView {
  readonly element = h('section', { class: 'view view-dmn', 'data-view': 'dmn' });
  private readonly modeler: DmnModeler;
  private readonly views = h('select', { 'aria-label': '视图', 'data-role': 'dmn-views' });
  private readonly status = h('span', { class: 'document-status', 'aria-live': 'polite' });
  private readonly problems = new ProblemsPanel(() => {});
  private readonly deployed: DeployedList;
  private readonly picker: DeployedPicker;
  private fileName = 'review.dmn';
  private dirty = false;
  /** The deployed decision and version the editor shows (undefined for a new table or a local file). */
  private opened: { id: string; version: number } | undefined;

  constructor(
    private readonly api: Api,
    private readonly notice: Notice,
  ) {
    const canvas = h('div', { class: 'canvas dmn-canvas', id: 'dmn-canvas' });
    // dmn-js takes modules per view (its `common` options lose their additionalModules to each view's).
    const chinese = { additionalModules: [translateModule] };
    this.modeler = new DmnModeler({
      container: canvas,
      drd: chinese,
      decisionTable: chinese,
      literalExpression: chinese,
      boxedExpression: chinese,
    });
    this.modeler.on('views.changed', () => this.showViews());
    this.modeler.on(
      'viewer.created',
      ({ viewer }: { viewer: { get(name: string): { on(e: string, f: (event: { trigger?: string }) => void): void } } }) => {
        viewer.get('eventBus').on('commandStack.changed', (event) => event.trigger !== 'clear' && this.markDirty());
      },
    );
    this.views.addEventListener('change', () => this.openView(Number(this.views.value)));
    this.picker = new DeployedPicker(() => api.decisions(), {
      kind: '审查表',
      selectId: 'decision-select',
      versionSelectId: 'decision-version-select',
    });
    this.picker.whenPicked(({ id, version }) => this.openDeployed(id, version));
    this.deployed = new DeployedList(
      '已部署的审查表',
      () => api.decisions(),
      (id) => this.openDeployed(id),
    );
    const button = (label: string, action: string, onclick: () => unknown, primary = false) =>
      h('button', { type: 'button', class: primary ? 'primary' : undefined, 'data-action': action, onclick: () => onclick() }, label);
    replaceChildren(
      this.element,
      h(
        'div',
        { class: 'toolbar', role: 'toolbar', 'aria-label': '审查表' },
        this.picker.resourceSelect,
        this.picker.versionSelect,
        button('新建审查表', 'new', () => this.createNew()),
        button('打开文件', 'open-file', () => this.openFile()),
        button('下载', 'download', () => this.download()),
        button('部署', 'deploy', () => this.deploy(), true),
        this.views,
        this.status,
      ),
      h('div', { class: 'workspace' }, canvas, h('aside', { class: 'side-panel' }, this.deployed.element, this.problems.element)),
    );
  }

  async start(): Promise<void> {
    await this.open(newReviewTableXml('new-matter', '新事项'), 'review.dmn');
    await this.refreshLists();
  }

  /** Opens decision `id` as deployed (its latest version unless `version` is given), for editing and deploying anew. */
  async openDeployed(id: string, version?: number): Promise<void> {
    if (!this.mayDiscard()) {
      this.picker.showAs(this.opened?.id, this.opened?.version);
      return;
    }
    try {
      const xml = await this.api.decisionXml(id, version);
      const shown = version ?? this.picker.latestOf(id);
      await this.open(xml, 'review.dmn', shown === undefined ? undefined : { id, version: shown });
      this.picker.showAs(id, shown);
    } catch (error) {
      this.picker.showAs(this.opened?.id, this.opened?.version);
      this.notice.show('error', `打开审查表 ${id} 失败：${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Shows `xml`, opening its first decision table (where review rules are edited). */
  async open(xml: string, fileName: string, deployed?: { id: string; version: number }): Promise<void> {
    await this.modeler.importXML(xml);
    this.fileName = fileName;
    this.opened = deployed;
    const table = this.modeler.getViews().findIndex((view) => view.type === 'decisionTable');
    if (table >= 0) await this.openView(table);
    this.dirty = false;
    this.showStatus();
  }

  async xml(): Promise<string> {
    return (await this.modeler.saveXML({ format: true })).xml;
  }

  private async createNew(): Promise<void> {
    if (!this.mayDiscard()) return;
    const answer = await ask('新建审查表', [
      { name: 'slug', label: '事项（目录名）', placeholder: 'public-place-hygiene-permit', pattern: SLUG_PATTERN },
      { name: 'name', label: '事项名称', placeholder: '公共场所卫生许可' },
    ]);
    if (!answer) return;
    await this.open(newReviewTableXml(answer.slug, answer.name), 'review.dmn');
    this.picker.showAs(undefined, undefined);
  }

  private async openFile(): Promise<void> {
    if (!this.mayDiscard()) return;
    const file = await pickFile('.dmn,.xml');
    if (!file) return;
    try {
      await this.open(file.text, file.name.endsWith('.dmn') ? file.name : 'review.dmn');
      this.picker.showAs(undefined, undefined);
      this.notice.show('info', `已打开 ${file.name}，尚未部署`);
    } catch (error) {
      this.notice.show('error', `${file.name} 不是可以打开的 DMN 文件：${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async download(): Promise<void> {
    download(this.fileName, await this.xml(), 'application/xml');
  }

  private async deploy(): Promise<void> {
    const deployed = await deployFile(
      this.api,
      { name: this.fileName, content: await this.xml(), type: 'application/xml' },
      { notice: this.notice, problems: this.problems, showProblems: () => {} },
    );
    if (!deployed) return;
    this.dirty = false;
    this.opened = { id: deployed.id, version: deployed.version };
    this.showStatus(`已部署为版本 ${deployed.version}`);
    await this.refreshLists();
  }

  private async refreshLists(): Promise<void> {
    try {
      await Promise.all([this.deployed.refresh(), this.picker.refresh()]);
      this.picker.showAs(this.opened?.id, this.opened?.version);
    } catch (error) {
      this.notice.show('error', `读取已部署的审查表失败：${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private mayDiscard(): boolean {
    return !this.dirty || window.confirm('审查表有尚未部署的修改，放弃这些修改吗？');
  }

  private async openView(index: number): Promise<void> {
    const view = this.modeler.getViews()[index];
    if (view) await this.modeler.open(view);
  }

  private showViews(): void {
    const active = this.modeler.getActiveView();
    const label = (view: { type: string; element: { id: string; name?: string } }) =>
      `${view.type === 'drd' ? '决策需求图' : view.type === 'decisionTable' ? '决策表' : '表达式'}：${view.element.name || view.element.id}`;
    replaceChildren(
      this.views,
      ...this.modeler
        .getViews()
        .map((view, i) =>
          h('option', { value: String(i), selected: view.element === active?.element && view.type === active?.type }, label(view)),
        ),
    );
  }

  private markDirty(): void {
    this.dirty = true;
    this.showStatus();
  }

  private showStatus(deployed?: string): void {
    const decision = this.modeler.getViews().find((view) => view.type !== 'drd')?.element;
    const state = deployed ?? (this.dirty ? '有未部署的修改' : '');
    const version = this.opened && !deployed ? `版本 ${this.opened.version}` : '';
    this.status.textContent = [this.fileName, decision?.id, version, state].filter(Boolean).join(' · ');
    this.status.dataset.version = String(this.opened?.version ?? '');
    this.status.dataset.dirty = String(this.dirty);
  }
}
