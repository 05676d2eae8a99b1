import type { Api } from '../api/client';
import { ProcessEditor } from '../bpmn/editor';
import { newProcessXml } from '../bpmn/new-diagram';
import { Dock } from '../app/dock';
import { deployFile } from '../deploy/deploy';
import { ProblemsPanel } from '../deploy/problems-panel';
import { DiffView } from '../diff/diff-view';
import { isError } from '../lint';
import { loadTemplates } from '../templates/load';
import { TryItPanel } from '../try-it/try-it-panel';
import { ask } from '../ui/ask';
import { download, h, pickFile, replaceChildren } from '../ui/dom';
import type { Notice } from '../ui/notice';
import { ProcessPicker } from './process-picker';

const ID_PATTERN = { source: '[a-z][a-z0-9\\-]*[a-z0-9]', hint: '小写字母、数字和连字符，如 public-place-hygiene-permit-change' };

/** The process tab: pick a deployed process and version, draw, lint, deploy, try it, compare versions. */
export class ProcessView {
  readonly element = h('section', { class: 'view view-bpmn', 'data-view': 'bpmn' });
  readonly editor: ProcessEditor;
  private readonly picker: ProcessPicker;
  private readonly problems: ProblemsPanel;
  private readonly tryIt: TryItPanel;
  private readonly dock: Dock;
  private readonly diff: DiffView;
  private readonly status = h('span', { class: 'document-status', 'aria-live': 'polite' });

  constructor(
    private readonly api: Api,
    private readonly notice: Notice,
    username: string,
  ) {
    const canvas = h('div', { class: 'canvas', id: 'bpmn-canvas' });
    const properties = h('aside', { class: 'properties-panel', id: 'bpmn-properties', 'aria-label': '属性' });
    this.editor = new ProcessEditor(canvas, properties);
    this.picker = new ProcessPicker(api);
    this.problems = new ProblemsPanel(
      (id) => this.editor.select(id),
      (id) => this.editor.nameOf(id),
    );
    this.tryIt = new TryItPanel(api, this.editor, username, (id, version) => this.openDeployed(id, version));
    this.dock = new Dock([
      { id: 'problems', label: '问题', element: this.problems.element },
      { id: 'try-it', label: '试运行', element: this.tryIt.element },
    ]);
    this.diff = new DiffView(api);
    this.picker.whenPicked(({ id, version }) => this.openDeployed(id, version));
    this.editor.onChange(() => this.showStatus());

    const button = (label: string, action: string, onclick: () => unknown, primary = false) =>
      h('button', { type: 'button', class: primary ? 'primary' : undefined, 'data-action': action, onclick: () => onclick() }, label);
    replaceChildren(
      this.element,
      h(
        'div',
        { class: 'toolbar', role: 'toolbar', 'aria-label': '流程' },
        this.picker.processSelect,
        this.picker.versionSelect,
        button('新建', 'new', () => this.createNew()),
        button('打开文件', 'open-file', () => this.openFile()),
        button('下载', 'download', () => this.download()),
        button('部署', 'deploy', () => this.deploy(), true),
        button('试运行', 'try-it', () => this.showTryIt()),
        button('版本对比', 'diff', () => this.compare()),
        this.status,
      ),
      h('div', { class: 'workspace' }, canvas, properties),
      this.dock.element,
    );
  }

  async start(): Promise<void> {
    await this.editor.open(newProcessXml('new-process', '新流程'));
    const [templates] = await Promise.allSettled([loadTemplates().then((t) => this.editor.setTemplates(t)), this.refreshList()]);
    if (templates.status === 'rejected') this.notice.show('error', String(templates.reason?.message ?? templates.reason));
  }

  async openDeployed(id: string, version?: number): Promise<void> {
    if (!this.mayDiscard()) {
      this.picker.showAs(this.editor.opened?.id, this.editor.opened?.version);
      return;
    }
    try {
      const xml = await this.api.processXml(id, version);
      const latest = version ?? this.picker.processes.find((p) => p.id === id)?.version;
      await this.editor.open(xml, latest);
      this.picker.showAs(id, latest);
    } catch (error) {
      this.notice.show('error', `打开 ${id} 失败：${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async refreshList(): Promise<void> {
    try {
      await this.picker.refresh();
      this.picker.showAs(this.editor.opened?.id, this.editor.opened?.version);
    } catch (error) {
      this.notice.show('error', `读取已部署的流程失败：${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async createNew(): Promise<void> {
    if (!this.mayDiscard()) return;
    const answer = await ask('新建流程', [
      { name: 'id', label: '流程 ID（事项-动作）', placeholder: 'public-place-hygiene-permit-change', pattern: ID_PATTERN },
      { name: 'name', label: '流程名称', placeholder: '公共场所卫生许可 变更' },
    ]);
    if (!answer) return;
    await this.editor.open(newProcessXml(answer.id, answer.name));
    this.picker.showAs(undefined, undefined);
  }

  private async openFile(): Promise<void> {
    if (!this.mayDiscard()) return;
    const file = await pickFile('.bpmn,.xml');
    if (!file) return;
    try {
      const opened = await this.editor.open(file.text);
      this.picker.showAs(undefined, undefined);
      this.notice.show('info', `已打开 ${file.name}（流程 ${opened.id}），尚未部署`);
    } catch (error) {
      this.notice.show('error', `${file.name} 不是可以打开的 BPMN 文件：${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async download(): Promise<void> {
    const id = this.editor.currentProcessId() ?? 'process';
    download(`${id}.bpmn`, await this.editor.xml(), 'application/xml');
  }

  private async deploy(): Promise<void> {
    const id = this.editor.currentProcessId();
    if (!id) {
      this.notice.show('error', '图中没有流程，无法部署');
      return;
    }
    const issues = await this.editor.lint();
    const errors = issues.filter(isError);
    if (errors.length) {
      this.problems.show(
        `未部署：检查发现 ${errors.length} 个错误`,
        issues.map((i) => ({ elementId: i.elementId, rule: i.rule, message: i.message, severity: isError(i) ? 'error' : 'warning' })),
      );
      this.dock.show('problems');
      this.notice.show('error', `未部署：有 ${errors.length} 个错误，请先修正（见“问题”）`);
      return;
    }
    const deployed = await deployFile(
      this.api,
      { name: `${id}.bpmn`, content: await this.editor.xml(), type: 'application/xml' },
      { notice: this.notice, problems: this.problems, showProblems: () => this.dock.show('problems') },
    );
    if (!deployed) return;
    this.editor.markDeployed(deployed.version);
    await this.refreshList();
  }

  private showTryIt(): void {
    this.tryIt.prepare();
    this.dock.toggle('try-it');
  }

  private async compare(): Promise<void> {
    const id = this.editor.opened?.id;
    const versions = id ? this.picker.versionsOf(id) : [];
    if (!id || versions.length < 2) {
      this.notice.show('info', id && versions.length ? `${id} 只有一个版本，没有可对比的` : '先打开一个已部署的流程');
      return;
    }
    const to = this.editor.opened?.version ?? versions[0];
    const from = versions.find((v) => v < to) ?? versions[versions.length - 1];
    await this.diff.open(id, versions, from, to === from ? versions[0] : to);
  }

  private mayDiscard(): boolean {
    return !this.editor.isDirty || window.confirm('画布上有尚未部署的修改，放弃这些修改吗？');
  }

  private showStatus(): void {
    const opened = this.editor.opened;
    const id = this.editor.currentProcessId() ?? opened?.id ?? '';
    const version = opened?.version ? `版本 ${opened.version}` : '未部署';
    this.status.textContent = `${id} · ${version}${this.editor.isDirty ? ' · 有未部署的修改' : ''}`;
    this.status.dataset.version = String(opened?.version ?? '');
    this.status.dataset.dirty = String(this.editor.isDirty);
  }
}
