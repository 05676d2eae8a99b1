import { formEditor, formEditorPatterns, formFieldTypes } from './zh-CN/form-editor';
import { properties } from './zh-CN/properties';

const phrases: Record<string, string> = { ...properties, ...formEditor };

/** The Chinese of a text of the form editor (form-js), or undefined if it is none of its own. */
export function formEditorChinese(text: string): string | undefined {
  const phrase = phrases[text];
  if (phrase) return phrase;
  for (const [pattern, zh] of formEditorPatterns) {
    const match = pattern.exec(text);
    if (match) return zh.replace(/\{(\d)\}/g, (_, group: string) => match[Number(group)] ?? '');
  }
  return undefined;
}

interface FormFieldConfig {
  name?: string;
  create(options: Record<string, unknown>, isNewField?: boolean): Record<string, unknown>;
}
type FormField = ((...args: unknown[]) => unknown) & { config: FormFieldConfig };
interface FormFields {
  get(type: string): FormField | undefined;
  register(type: string, field: FormField): void;
}

/** The labels form-js gives a new field ("Text field", a date's "Date"): the designer sees them first, so in Chinese too. */
const DEFAULT_LABELS = ['label', 'dateLabel'];

/**
 * Registers each field type again under its Chinese name (a copy of its config; the component is the same): the
 * palette, its search, the properties header and the remove button then name it in Chinese, and a new field is labelled so.
 */
function ChineseFormFields(formFields: FormFields): void {
  for (const [type, name] of Object.entries(formFieldTypes)) {
    const field = formFields.get(type);
    if (!field) continue;
    const { config } = field;
    const create = (options: Record<string, unknown> = {}, isNewField?: boolean) => {
      const created = config.create(options, isNewField);
      if (!isNewField) return created;
      for (const key of DEFAULT_LABELS) {
        const label = created[key];
        if (options[key] !== undefined || typeof label !== 'string') continue;
        created[key] = label === config.name ? name : (formEditorChinese(label) ?? label);
      }
      return created;
    };
    formFields.register(type, Object.assign(field.bind(undefined), { config: { ...config, name, create } }));
  }
}
ChineseFormFields.$inject = ['formFields'];

/** A form-js editor module: the field types in Chinese (pass in `additionalModules`). */
export const chineseFormFieldsModule = { __init__: ['chineseFormFields'], chineseFormFields: ['type', ChineseFormFields] };

/** Where form-js writes texts of its own: the palette, the empty canvas, the context pad, the properties panel. */
const OWN_TEXT =
  '.fjs-palette, .fjs-empty-editor, .fjs-empty-component, .fjs-form-field-placeholder, .fjs-repeat-render-footer, .fjs-context-pad, .fjs-properties-panel';
/** What the designer wrote, never translated even where it equals a known text: values (an input's is no attribute), labels, list items. */
const DESIGNERS_TEXT =
  'textarea, [contenteditable], .cm-editor, .bio-properties-panel-header-label, .bio-properties-panel-collapsible-entry-header-title';
const ATTRIBUTES = ['title', 'placeholder', 'aria-label'];

function isOwnText(element: Element | null): element is Element {
  return Boolean(element?.closest(OWN_TEXT) && !element.closest(DESIGNERS_TEXT));
}

function translateText(node: Text): void {
  if (!isOwnText(node.parentElement)) return;
  const text = node.data.trim();
  const zh = text && formEditorChinese(text);
  if (zh) node.data = node.data.replace(text, zh);
}

function translateAttribute(element: Element, name: string): void {
  const value = element.getAttribute(name);
  const zh = value && isOwnText(element) && formEditorChinese(value);
  if (zh) element.setAttribute(name, zh);
}

function translateTree(root: Node): void {
  if (root instanceof Text) return translateText(root);
  if (!(root instanceof Element)) return;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  for (let node: Node | null = root; node; node = walker.nextNode()) {
    if (node instanceof Text) translateText(node);
    else if (node instanceof Element) for (const name of ATTRIBUTES) translateAttribute(node, name);
  }
}

/**
 * Translates the form editor's own texts in `container` as form-js renders them (it has no translate hook): a text or
 * attribute it writes is replaced by its Chinese once, and again whenever form-js writes it anew. Preact compares what
 * it renders with what it rendered before, not with the page, so it leaves a translated text alone until it changes.
 */
export function translateFormEditor(container: HTMLElement): MutationObserver {
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === 'childList') record.addedNodes.forEach(translateTree);
      else if (record.target instanceof Text) translateText(record.target);
      else if (record.target instanceof Element && record.attributeName) translateAttribute(record.target, record.attributeName);
    }
  });
  observer.observe(container, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ATTRIBUTES });
  translateTree(container);
  return observer;
}
