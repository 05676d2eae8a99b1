import type { Api } from '../api/client';
import type { ResourceSummary } from '../api/types';
import { ask, type AskField } from '../ui/ask';
import { download, h, pickFile, replaceChildren } from '../ui/dom';
import type { Notice } from '../ui/notice';
import { deployFile } from './deploy';
import { DeployedList } from './deployed-list';
import { DeployedPicker } from './deployed-picker';
import { ProblemsPanel } from './problems-panel';

/** What sets one kind of deployed document (review tables, forms) apart: its names, its file and where the server keeps it. */
export interface DocumentKind {
  /** What the document is called in the toolbar and the messages: 审查表, 表单. */
  name: string;
  /** The view's key: `view-dmn`, `data-view="dmn"`. */
  view: string;
  /** The ids of the toolbar's two selects (resource and version). */
  selectId: string;
  versionSelectId: string;
  /** Its file: the extension it is kept under, what the file picker offers, its media type, what is said of a file that is not one. */
  file: { extension: string; accept: string; mediaType: string; unreadable: string };
  /** The file name of document `id` (a matter's review table is always `review.dmn`). */
  fileName(id: string): string;
  /** What the new-document dialog asks, and the answer a new tab starts with. */
  newFields: AskField[];
  untitled: Record<string, string>;
  list(api: Api): Promise<ResourceSummary[]>;
  /** The deployed document's text, its latest version unless `version` is given. */
  fetch(api: Api, id: string, version?: number): Promise<string>;
}

/**
 * An editor tab whose document is deployed, as the processes are: a deployed document and version can be picked and
 * opened, a new one made or a local file opened (asking first when changes are not deployed), and deploying a change
 * makes its next version. The editor itself is the subclass's.
 */
export abstract class DeployedDocument<Content> {
  readonly element: HTMLElement;
  private readonly status = h('span', { class: 'document-status', 'aria-live': 'polite' });
  private readonly problems = new ProblemsPanel(() => {});
  private readonly deployed: DeployedList;
  private readonly picker: DeployedPicker;
  private fileName = '';
  private dirty = false;
  /** The deployed document and version the editor shows (undefined for a new document or a local file). */
  private opened: { id: string; version: number } | undefined;

  /** Lays the tab out: the toolbar (with the subclass's `tools` last), the editor's `canvas`, the deployed list. */
  constructor(
    private readonly api: Api,
    private readonly notice: Notice,
    private readonly kind: DocumentKind,
    canvas: HTMLElement,
    tools: HTMLElement[] = [],
  ) {
    this.element = h('section', { class: `view view-${kind.view}`, 'data-view': kind.view });
    this.picker = new DeployedPicker(() => kind.list(api), {
      kind: kind.name,
      selectId: kind.selectId,
      versionSelectId: kind.versionSelectId,
    });
    this.picker.whenPicked(({ id, version }) => this.openDeployed(id, version));
    this.deployed = new DeployedList(
      `已部署的${kind.name}`,
      () => kind.list(api),
      (id) => this.openDeployed(id),
    );
    const button = (label: string, action: string, onclick: () => unknown, primary = false) =>
      h('button', { type: 'button', class: primary ? 'primary' : undefined, 'data-action': action, onclick: () => onclick() }, label);
    replaceChildren(
      this.element,
      h(
        'div',
        { class: 'toolbar', role: 'toolbar', 'aria-label': kind.name },
        this.picker.resourceSelect,
        this.picker.versionSelect,
        button(`新建${kind.name}`, 'new', () => this.createNew()),
        button('打开文件', 'open-file', () => this.openFile()),
        button('下载', 'download', () => this.download()),
        button('部署', 'deploy', () => this.deploy(), true),
        ...tools,
        this.status,
      ),
      h('div', { class: 'workspace' }, canvas, h('aside', { class: 'side-panel' }, this.deployed.element, this.problems.element)),
    );
  }

  /** Shows `content` in the editor. */
  protected abstract load(content: Content): Promise<void>;
  /** The content of a document's text, as deployed or in a local file. */
  protected abstract parse(text: string): Content;
  /** The editor's document as text, to download or deploy. */
  protected abstract text(): Promise<string>;
  /** The id the document itself gives (the decision's, the form's), for the status line. */
  protected abstract documentId(): string | undefined;
  /** A new document from the new-document dialog's answer, and the id its file is named after. */
  protected abstract create(answer: Record<string, string>): { id: string; content: Content };

  async start(): Promise<void> {
    const untitled = this.create(this.kind.untitled);
    await this.open(untitled.content, this.kind.fileName(untitled.id));
    await this.refreshLists();
  }

  /** Opens document `id` as deployed (its latest version unless `version` is given), for editing and deploying anew. */
  async openDeployed(id: string, version?: number): Promise<void> {
    if (!this.mayDiscard()) {
      this.picker.showAs(this.opened?.id, this.opened?.version);
      return;
    }
    try {
      const content = this.parse(await this.kind.fetch(this.api, id, version));
      const shown = version ?? this.picker.latestOf(id);
      await this.open(content, this.kind.fileName(id), shown === undefined ? undefined : { id, version: shown });
      this.picker.showAs(id, shown);
    } catch (error) {
      this.picker.showAs(this.opened?.id, this.opened?.version);
      this.notice.show('error', `打开${this.kind.name} ${id} 失败：${messageOf(error)}`);
    }
  }

  async open(content: Content, fileName: string, deployed?: { id: string; version: number }): Promise<void> {
    await this.load(content);
    this.fileName = fileName;
    this.opened = deployed;
    this.dirty = false;
    this.showStatus();
  }

  /** The editor changed the document: it now differs from what was opened or deployed. */
  protected markDirty(): void {
    this.dirty = true;
    this.showStatus();
  }

  private async createNew(): Promise<void> {
    if (!this.mayDiscard()) return;
    const answer = await ask(`新建${this.kind.name}`, this.kind.newFields);
    if (!answer) return;
    const created = this.create(answer);
    await this.open(created.content, this.kind.fileName(created.id));
    this.picker.showAs(undefined, undefined);
  }

  private async openFile(): Promise<void> {
    if (!this.mayDiscard()) return;
    const file = await pickFile(this.kind.file.accept);
    if (!file) return;
    try {
      const { extension } = this.kind.file;
      await this.open(
        this.parse(file.text),
        file.name.endsWith(extension) ? file.name : this.kind.fileName(file.name.replace(/\.[^.]*$/, '')),
      );
      this.picker.showAs(undefined, undefined);
      this.notice.show('info', `已打开 ${file.name}，尚未部署`);
    } catch (error) {
      this.notice.show('error', `${file.name} ${this.kind.file.unreadable}：${messageOf(error)}`);
    }
  }

  private async download(): Promise<void> {
    download(this.fileName, await this.text(), this.kind.file.mediaType);
  }

  private async deploy(): Promise<void> {
    const deployed = await deployFile(
      this.api,
      { name: this.fileName, content: await this.text(), type: this.kind.file.mediaType },
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
      this.notice.show('error', `读取已部署的${this.kind.name}失败：${messageOf(error)}`);
    }
  }

  private mayDiscard(): boolean {
    return !this.dirty || window.confirm(`${this.kind.name}有尚未部署的修改，放弃这些修改吗？`);
  }

  private showStatus(deployed?: string): void {
    const state = deployed ?? (this.dirty ? '有未部署的修改' : '');
    const version = this.opened && !deployed ? `版本 ${this.opened.version}` : '';
    this.status.textContent = [this.fileName, this.documentId(), version, state].filter(Boolean).join(' · ');
    this.status.dataset.version = String(this.opened?.version ?? '');
    this.status.dataset.dirty = String(this.dirty);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
