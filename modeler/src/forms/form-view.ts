import { FormEditor } from '@bpmn-io/form-js-editor';
import '@bpmn-io/form-js-viewer/dist/assets/form-js.css';
import '@bpmn-io/form-js-editor/dist/assets/form-js-editor.css';
import '@bpmn-io/form-js-editor/dist/assets/properties-panel.css';
import type { Api } from '../api/client';
import { DeployedList } from '../deploy/deployed-list';
import { DeployedPicker } from '../deploy/deployed-picker';
import { deployFile } from '../deploy/deploy';
import { ProblemsPanel } from '../deploy/problems-panel';
import { ask } from '../ui/ask';
import { download, h, pickFile, replaceChildren } from '../ui/dom';
import type { Notice } from '../ui/notice';
import { newForm } from './new-form';

const FORM_ID_PATTERN = { source: '[a-z][a-z0-9\\-]*[a-z0-9]', hint: '如 public-place-hygiene-permit-review（用户任务的表单 ID）' };

/**
 * The forms tab: a form-js form (`<action>.form`, or a user task's form) edited and deployed as the processes are; a
 * deployed form and version can be picked and opened, and deploying a change makes its next version.
 */
export class FormView {
  readonly element = h('section', { class: 'view view-form', 'data-view': 'form' });
  private readonly editor: FormEditor;
  private readonly status = h('span', { class: 'document-status', 'aria-live': 'polite' });
  private readonly problems = new ProblemsPanel(() => {});
  private readonly deployed: DeployedList;
  private readonly picker: DeployedPicker;
  private fileName = 'form.form';
  private dirty = false;
  /** The deployed form and version the editor shows (undefined for a new form or a local file). */
  private opened: { id: string; version: number } | undefined;

  constructor(
    private readonly api: Api,
    private readonly notice: Notice,
  ) {
    const canvas = h('div', { class: 'canvas form-canvas', id: 'form-canvas' });
    this.editor = new FormEditor({ container: canvas });
    this.editor.on('changed', () => {
      this.dirty = true;
      this.showStatus();
    });
    this.picker = new DeployedPicker(() => api.forms(), { kind: '表单', selectId: 'form-select', versionSelectId: 'form-version-select' });
    this.picker.whenPicked(({ id, version }) => this.openDeployed(id, version));
    this.deployed = new DeployedList(
      '已部署的表单',
      () => api.forms(),
      (id) => this.openDeployed(id),
    );
    const button = (label: string, action: string, onclick: () => unknown, primary = false) =>
      h('button', { type: 'button', class: primary ? 'primary' : undefined, 'data-action': action, onclick: () => onclick() }, label);
    replaceChildren(
      this.element,
      h(
        'div',
        { class: 'toolbar', role: 'toolbar', 'aria-label': '表单' },
        this.picker.resourceSelect,
        this.picker.versionSelect,
        button('新建表单', 'new', () => this.createNew()),
        button('打开文件', 'open-file', () => this.openFile()),
        button('下载', 'download', () => this.download()),
        button('部署', 'deploy', () => this.deploy(), true),
        this.status,
      ),
      h('div', { class: 'workspace' }, canvas, h('aside', { class: 'side-panel' }, this.deployed.element, this.problems.element)),
    );
  }

  async start(): Promise<void> {
    await this.open(newForm('new-form', '新表单'), 'new-form.form');
    await this.refreshLists();
  }

  /** Opens form `id` as deployed (its latest version unless `version` is given), for editing and deploying anew. */
  async openDeployed(id: string, version?: number): Promise<void> {
    if (!this.mayDiscard()) {
      this.picker.showAs(this.opened?.id, this.opened?.version);
      return;
    }
    try {
      const schema = JSON.parse(await this.api.formJson(id, version)) as Record<string, unknown>;
      const shown = version ?? this.picker.latestOf(id);
      await this.open(schema, `${id}.form`, shown === undefined ? undefined : { id, version: shown });
      this.picker.showAs(id, shown);
    } catch (error) {
      this.picker.showAs(this.opened?.id, this.opened?.version);
      this.notice.show('error', `打开表单 ${id} 失败：${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async open(schema: Record<string, unknown>, fileName: string, deployed?: { id: string; version: number }): Promise<void> {
    await this.editor.importSchema(schema as Parameters<FormEditor['importSchema']>[0]);
    this.fileName = fileName;
    this.opened = deployed;
    this.dirty = false;
    this.showStatus();
  }

  private schemaText(): string {
    return JSON.stringify(this.editor.saveSchema(), null, 2) + '\n';
  }

  private async createNew(): Promise<void> {
    if (!this.mayDiscard()) return;
    const answer = await ask('新建表单', [
      { name: 'id', label: '表单 ID', placeholder: 'public-place-hygiene-permit-review', pattern: FORM_ID_PATTERN },
      { name: 'title', label: '标题', placeholder: '公共场所卫生许可 窗口审查' },
    ]);
    if (!answer) return;
    await this.open(newForm(answer.id, answer.title), `${answer.id}.form`);
    this.picker.showAs(undefined, undefined);
  }

  private async openFile(): Promise<void> {
    if (!this.mayDiscard()) return;
    const file = await pickFile('.form,.json');
    if (!file) return;
    try {
      await this.open(JSON.parse(file.text), file.name.endsWith('.form') ? file.name : `${file.name.replace(/\.[^.]*$/, '')}.form`);
      this.picker.showAs(undefined, undefined);
      this.notice.show('info', `已打开 ${file.name}，尚未部署`);
    } catch (error) {
      this.notice.show('error', `${file.name} 不是可以打开的表单文件：${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private download(): void {
    download(this.fileName, this.schemaText(), 'application/json');
  }

  private async deploy(): Promise<void> {
    const deployed = await deployFile(
      this.api,
      { name: this.fileName, content: this.schemaText(), type: 'application/json' },
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
      this.notice.show('error', `读取已部署的表单失败：${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private mayDiscard(): boolean {
    return !this.dirty || window.confirm('表单有尚未部署的修改，放弃这些修改吗？');
  }

  private showStatus(deployed?: string): void {
    const id = (this.editor.saveSchema() as { id?: string }).id;
    const state = deployed ?? (this.dirty ? '有未部署的修改' : '');
    const version = this.opened && !deployed ? `版本 ${this.opened.version}` : '';
    this.status.textContent = [this.fileName, id, version, state].filter(Boolean).join(' · ');
    this.status.dataset.version = String(this.opened?.version ?? '');
    this.status.dataset.dirty = String(this.dirty);
  }
}
