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
import { DeployedDocument, type DocumentKind } from '../deploy/deployed-document';
import { translateModule } from '../i18n/translate';
import { h, replaceChildren } from '../ui/dom';
import type { Notice } from '../ui/notice';
import { newReviewTableXml } from './new-review-table';

const SLUG_PATTERN = { source: '[a-z][a-z0-9\\-]*[a-z0-9]', hint: '事项目录名，如 public-place-hygiene-permit' };

const REVIEW_TABLE: DocumentKind = {
  name: '审查表',
  view: 'dmn',
  selectId: 'decision-select',
  versionSelectId: 'decision-version-select',
  file: { extension: '.dmn', accept: '.dmn,.xml', mediaType: 'application/xml', unreadable: '不是可以打开的 DMN 文件' },
  fileName: () => 'review.dmn',
  newFields: [
    { name: 'slug', label: '事项（目录名）', placeholder: 'public-place-hygiene-permit', pattern: SLUG_PATTERN },
    { name: 'name', label: '事项名称', placeholder: '公共场所卫生许可' },
  ],
  untitled: { slug: 'new-matter', name: '新事项' },
  list: (api) => api.decisions(),
  fetch: (api, id, version) => api.decisionXml(id, version),
};

/** The review tables tab: a matter's `review.dmn` in dmn-js, opening on its first decision table (where review rules are edited). */
export class DmnView extends DeployedDocument<string> {
  private readonly modeler: DmnModeler;
  private readonly views: HTMLSelectElement;

  constructor(api: Api, notice: Notice) {
    const canvas = h('div', { class: 'canvas dmn-canvas', id: 'dmn-canvas' });
    const views = h('select', { 'aria-label': '视图', 'data-role': 'dmn-views' });
    super(api, notice, REVIEW_TABLE, canvas, [views]);
    this.views = views;
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
  }

  protected async load(xml: string): Promise<void> {
    await this.modeler.importXML(xml);
    const table = this.modeler.getViews().findIndex((view) => view.type === 'decisionTable');
    if (table >= 0) await this.openView(table);
  }

  protected parse(xml: string): string {
    return xml;
  }

  protected async text(): Promise<string> {
    return (await this.modeler.saveXML({ format: true })).xml;
  }

  protected documentId(): string | undefined {
    return this.modeler.getViews().find((view) => view.type !== 'drd')?.element.id;
  }

  protected create(answer: Record<string, string>): { id: string; content: string } {
    return { id: answer.slug, content: newReviewTableXml(answer.slug, answer.name) };
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
}
