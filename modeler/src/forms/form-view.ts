import { FormEditor } from '@bpmn-io/form-js-editor';
import '@bpmn-io/form-js-viewer/dist/assets/form-js.css';
import '@bpmn-io/form-js-editor/dist/assets/form-js-editor.css';
import '@bpmn-io/form-js-editor/dist/assets/properties-panel.css';
import type { Api } from '../api/client';
import { DeployedDocument, type DocumentKind } from '../deploy/deployed-document';
import { chineseFormFieldsModule, translateFormEditor } from '../i18n/form-editor';
import { h } from '../ui/dom';
import type { Notice } from '../ui/notice';
import { newForm } from './new-form';

type Schema = Record<string, unknown>;

const FORM_ID_PATTERN = { source: '[a-z][a-z0-9\\-]*[a-z0-9]', hint: '如 public-place-hygiene-permit-review（用户任务的表单 ID）' };

const FORM: DocumentKind = {
  name: '表单',
  view: 'form',
  selectId: 'form-select',
  versionSelectId: 'form-version-select',
  file: { extension: '.form', accept: '.form,.json', mediaType: 'application/json', unreadable: '不是可以打开的表单文件' },
  fileName: (id) => `${id}.form`,
  newFields: [
    { name: 'id', label: '表单 ID', placeholder: 'public-place-hygiene-permit-review', pattern: FORM_ID_PATTERN },
    { name: 'title', label: '标题', placeholder: '公共场所卫生许可 窗口审查' },
  ],
  untitled: { id: 'new-form', title: '新表单' },
  list: (api) => api.forms(),
  fetch: (api, id, version) => api.formJson(id, version),
};

/** The forms tab: a form-js form (`<action>.form`, or a user task's form), its editor in Chinese. */
export class FormView extends DeployedDocument<Schema> {
  private readonly editor: FormEditor;

  constructor(api: Api, notice: Notice) {
    const canvas = h('div', { class: 'canvas form-canvas', id: 'form-canvas' });
    super(api, notice, FORM, canvas);
    this.editor = new FormEditor({ container: canvas, additionalModules: [chineseFormFieldsModule] });
    translateFormEditor(canvas);
    this.editor.on('changed', () => this.markDirty());
  }

  protected async load(schema: Schema): Promise<void> {
    await this.editor.importSchema(schema as Parameters<FormEditor['importSchema']>[0]);
  }

  protected parse(json: string): Schema {
    return JSON.parse(json) as Schema;
  }

  protected async text(): Promise<string> {
    return JSON.stringify(this.editor.saveSchema(), null, 2) + '\n';
  }

  protected documentId(): string | undefined {
    return (this.editor.saveSchema() as { id?: string }).id;
  }

  protected create(answer: Record<string, string>): { id: string; content: Schema } {
    return { id: answer.id, content: newForm(answer.id, answer.title) };
  }
}
