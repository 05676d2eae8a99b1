import NavigatedViewer from 'camunda-bpmn-js/lib/camunda-cloud/NavigatedViewer';
import type { Api } from '../api/client';
import { toChinese } from '../i18n/translate';
import { h, replaceChildren } from '../ui/dom';
import { compareVersions, type ChangeKind, type ElementChange } from './compare';
import './diff.css';

const KIND_NAMES: Record<ChangeKind, string> = { added: '新增', removed: '删除', changed: '修改', layout: '移动' };

type Viewer = InstanceType<typeof NavigatedViewer>;

/** Two versions of a process side by side, what changed marked on both canvases and listed below. */
export class DiffView {
  readonly element = h('dialog', { class: 'diff-view', 'aria-label': '版本对比' });
  private readonly oldSelect = h('select', { 'aria-label': '旧版本', 'data-side': 'old' });
  private readonly newSelect = h('select', { 'aria-label': '新版本', 'data-side': 'new' });
  private readonly oldCanvas = h('div', { class: 'diff-canvas' });
  private readonly newCanvas = h('div', { class: 'diff-canvas' });
  private readonly list = h('div', { class: 'diff-list', 'aria-live': 'polite' });
  private readonly title = h('h2', {});
  private viewers: [Viewer, Viewer] | undefined;
  private processId = '';

  constructor(private readonly api: Api) {
    const compare = () => this.compare(Number(this.oldSelect.value), Number(this.newSelect.value));
    this.oldSelect.addEventListener('change', compare);
    this.newSelect.addEventListener('change', compare);
    replaceChildren(
      this.element,
      h(
        'header',
        { class: 'diff-header' },
        this.title,
        h('label', {}, '从', this.oldSelect),
        h('label', {}, '到', this.newSelect),
        h(
          'span',
          { class: 'diff-legend' },
          ...(['added', 'removed', 'changed', 'layout'] as ChangeKind[]).map((k) =>
            h('span', { class: `legend diff-${k}` }, KIND_NAMES[k]),
          ),
        ),
        h('button', { type: 'button', onclick: () => this.close() }, '关闭'),
      ),
      h(
        'div',
        { class: 'diff-canvases' },
        h('section', {}, h('h3', { class: 'diff-side-old' }, '旧版本'), this.oldCanvas),
        h('section', {}, h('h3', { class: 'diff-side-new' }, '新版本'), this.newCanvas),
      ),
      this.list,
    );
  }

  /** Opens the comparison of `id` between `from` and `to` (two of `versions`). */
  async open(id: string, versions: number[], from: number, to: number): Promise<void> {
    this.processId = id;
    this.title.textContent = `版本对比：${id}`;
    const options = (selected: number) => versions.map((v) => h('option', { value: String(v), selected: v === selected }, `版本 ${v}`));
    replaceChildren(this.oldSelect, ...options(from));
    replaceChildren(this.newSelect, ...options(to));
    if (!this.element.isConnected) document.body.appendChild(this.element);
    this.element.showModal();
    this.viewers ??= [
      new NavigatedViewer({ container: this.oldCanvas } as ConstructorParameters<typeof NavigatedViewer>[0]),
      new NavigatedViewer({ container: this.newCanvas } as ConstructorParameters<typeof NavigatedViewer>[0]),
    ];
    await this.compare(from, to);
  }

  close(): void {
    this.element.close();
  }

  private async compare(from: number, to: number): Promise<void> {
    replaceChildren(this.list, h('p', {}, '正在比较……'));
    try {
      const [oldXml, newXml] = await Promise.all([this.api.processXml(this.processId, from), this.api.processXml(this.processId, to)]);
      const [oldViewer, newViewer] = this.viewers!;
      await Promise.all([oldViewer.importXML(oldXml), newViewer.importXML(newXml)]);
      for (const viewer of this.viewers!) (viewer.get('canvas') as { zoom(level: string): void }).zoom('fit-viewport');
      const changes = await compareVersions(oldXml, newXml);
      this.mark(changes);
      this.showList(changes, from, to);
    } catch (error) {
      replaceChildren(this.list, h('p', { class: 'say say-error' }, `比较失败：${error instanceof Error ? error.message : String(error)}`));
    }
  }

  private mark(changes: ElementChange[]): void {
    const [oldViewer, newViewer] = this.viewers!;
    for (const change of changes) {
      const sides = change.kind === 'added' ? [newViewer] : change.kind === 'removed' ? [oldViewer] : [oldViewer, newViewer];
      for (const viewer of sides) {
        const registry = viewer.get('elementRegistry') as { get(id: string): unknown };
        if (registry.get(change.id))
          (viewer.get('canvas') as { addMarker(id: string, marker: string): void }).addMarker(change.id, `diff-${change.kind}`);
      }
    }
  }

  private showList(changes: ElementChange[], from: number, to: number): void {
    if (!changes.length) {
      replaceChildren(this.list, h('p', {}, `版本 ${from} 和版本 ${to} 没有差别。`));
      return;
    }
    const items = changes.map((change) =>
      h(
        'li',
        { class: `diff-item diff-${change.kind}`, 'data-element-id': change.id, 'data-kind': change.kind },
        h('span', { class: 'diff-kind' }, KIND_NAMES[change.kind]),
        h('span', { class: 'diff-element' }, `${change.name || toChinese(typeLabel(change.type))}（${change.id}）`),
        change.details.length ? h('ul', {}, ...change.details.map((line) => h('li', {}, line))) : null,
      ),
    );
    replaceChildren(this.list, h('h3', {}, `版本 ${from} → 版本 ${to}：${changes.length} 处变化`), h('ul', {}, ...items));
  }
}

/** `bpmn:UserTask` → "User task", the English label the translation knows. */
function typeLabel(type: string): string {
  const words = type
    .replace(/^bpmn:/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
