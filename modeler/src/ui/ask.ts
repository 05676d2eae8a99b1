import { h } from './dom';
import './ui.css';

export interface AskField {
  name: string;
  label: string;
  value?: string;
  placeholder?: string;
  /** A regular expression the whole value must match, with what to say when it does not. */
  pattern?: { source: string; hint: string };
}

/** A small modal form; resolves with the values, or undefined when cancelled. */
export function ask(title: string, fields: AskField[], submitLabel = '确定'): Promise<Record<string, string> | undefined> {
  return new Promise((resolve) => {
    const inputs = fields.map((field) =>
      h('input', {
        name: field.name,
        value: field.value ?? '',
        placeholder: field.placeholder,
        required: true,
        pattern: field.pattern?.source,
        title: field.pattern?.hint,
      }),
    );
    const cancel = h('button', { type: 'button' }, '取消');
    const form = h(
      'form',
      { method: 'dialog', class: 'ask' },
      h('h2', {}, title),
      ...fields.map((field, i) => h('label', {}, field.label, inputs[i], field.pattern ? h('small', {}, field.pattern.hint) : null)),
      h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary' }, submitLabel), cancel),
    );
    const dialog = h('dialog', { class: 'ask-dialog' }, form);
    const finish = (values: Record<string, string> | undefined) => {
      dialog.close();
      dialog.remove();
      resolve(values);
    };
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      finish(Object.fromEntries(fields.map((field, i) => [field.name, inputs[i].value.trim()])));
    });
    cancel.addEventListener('click', () => finish(undefined));
    dialog.addEventListener('cancel', () => finish(undefined));
    document.body.appendChild(dialog);
    dialog.showModal();
    inputs[0]?.focus();
  });
}
