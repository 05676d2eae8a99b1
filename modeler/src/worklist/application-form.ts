import { Form } from '@bpmn-io/form-js-viewer';
import '@bpmn-io/form-js-viewer/dist/assets/form-js.css';
import { h, replaceChildren } from '../ui/dom';
import { valueText } from './format';
import type { ApplicationView, OcrComparison } from './types';

interface Component {
  id?: string;
  key?: string;
  components?: Component[];
}

/** The id of the form component bound to `key`, nested ones included. */
function componentIdOf(components: Component[] | undefined, key: string): string | undefined {
  for (const component of components ?? []) {
    if (component.key === key) return component.id;
    const nested = componentIdOf(component.components, key);
    if (nested) return nested;
  }
  return undefined;
}

/**
 * The application as its applicant filled it: the matter's deployed form (`<matter>-<action>`) in the form-js viewer,
 * read-only, with each field a material's OCR read differently marked and the reading written beside it. Without the
 * form (not deployed, not readable) the values are listed instead.
 */
export class ApplicationForm {
  readonly element = h('div', { class: 'application-form' });
  private form: Form | undefined;

  async show(
    application: ApplicationView,
    schemaText: string | undefined,
    comparison: OcrComparison[],
    labels: Record<string, string>,
  ): Promise<void> {
    this.destroy();
    const data = Object.fromEntries(Object.entries(application.form).map(([key, field]) => [key, field.value ?? undefined]));
    if (!schemaText) {
      this.showValues(application, comparison, labels);
      return;
    }
    const schema = JSON.parse(schemaText) as { components?: Component[] };
    const container = h('div', { class: 'form-container', 'data-form-id': `${application.matter}-${application.action}` });
    replaceChildren(this.element, container);
    this.form = new Form({ container, properties: { readOnly: true } });
    await this.form.importSchema(schema, data);
    for (const row of comparison.filter((c) => !c.agrees)) {
      const id = componentIdOf(schema.components, row.field);
      const input = id ? container.querySelector(`[id$="-${CSS.escape(id)}"]`) : null;
      const field = input?.closest('.fjs-form-field');
      if (!field) continue;
      field.classList.add('ocr-disagrees');
      field.setAttribute('data-ocr-field', row.field);
      field.appendChild(h('div', { class: 'ocr-note' }, `材料 ${row.material} 识别为“${row.ocrValue}”，与所填不一致`));
    }
  }

  destroy(): void {
    this.form?.destroy();
    this.form = undefined;
    replaceChildren(this.element);
  }

  private showValues(application: ApplicationView, comparison: OcrComparison[], labels: Record<string, string>): void {
    const differs = new Set(comparison.filter((c) => !c.agrees).map((c) => c.field));
    replaceChildren(
      this.element,
      h('p', { class: 'hint' }, '未能读取本事项已部署的申请表单，以下按字段列出所填内容。'),
      h(
        'table',
        { class: 'plain-values' },
        ...Object.entries(application.form).map(([key, field]) =>
          h(
            'tr',
            { class: differs.has(key) ? 'ocr-disagrees' : undefined, 'data-field': key },
            h('th', {}, labels[key] ?? key),
            h('td', {}, valueText(field.value)),
          ),
        ),
      ),
    );
  }
}
