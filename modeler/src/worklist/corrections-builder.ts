import { h, replaceChildren } from '../ui/dom';
import type { Correction } from './types';

interface Row {
  element: HTMLElement;
  target: HTMLSelectElement;
  reason: HTMLInputElement;
}

/**
 * The list of corrections a return asks for (一次性告知): each names a field of the form or a material, and why. The
 * complete call takes them as `corrections: [{field|material, reason}]`.
 */
export class CorrectionsBuilder {
  readonly element = h('fieldset', { class: 'corrections-builder' });
  private readonly list = h('ol', { class: 'correction-rows' });
  private rows: Row[] = [];

  constructor(
    private readonly fields: { key: string; label: string }[],
    private readonly materials: { code: string; name: string }[],
  ) {
    replaceChildren(
      this.element,
      h('legend', {}, '补正事项（一次性告知申请人）'),
      this.list,
      h('button', { type: 'button', 'data-action': 'add-correction-row', onclick: () => this.add() }, '＋ 添加补正项'),
    );
  }

  /** Adds a row, optionally already naming what to correct and why. */
  add(target: { field?: string; material?: string } = {}, reason = ''): void {
    const select = h(
      'select',
      { class: 'correction-target', 'aria-label': '补正对象', required: true },
      h('option', { value: '' }, '请选择表单项或材料'),
      h('optgroup', { label: '申请表' }, ...this.fields.map((f) => h('option', { value: `field:${f.key}` }, f.label))),
      h(
        'optgroup',
        { label: '申请材料' },
        ...this.materials.map((m) => h('option', { value: `material:${m.code}` }, `${m.code} ${m.name}`)),
      ),
    );
    select.value = target.field ? `field:${target.field}` : target.material ? `material:${target.material}` : '';
    const input = h('input', {
      class: 'correction-reason',
      'aria-label': '补正原因',
      placeholder: '写明需要补正什么、为什么',
      maxlength: 500,
      value: reason,
    });
    const row: Row = {
      target: select,
      reason: input,
      element: h('li', { class: 'correction-row' }, select, input),
    };
    row.element.append(
      h('button', { type: 'button', class: 'link', 'data-action': 'remove-correction', onclick: () => this.remove(row) }, '删除'),
    );
    this.rows.push(row);
    this.list.append(row.element);
    (target.field || target.material ? input : select).focus();
  }

  /** The rows as the API takes them, or what is missing while a row is incomplete or there is none. */
  corrections(): { corrections: Correction[] } | { problem: string } {
    if (!this.rows.length) return { problem: '退回补正须至少列出一项补正内容' };
    const corrections: Correction[] = [];
    for (const [i, row] of this.rows.entries()) {
      const [kind, id] = row.target.value.split(/:(.*)/s);
      if (!id) return { problem: `第 ${i + 1} 项补正没有选择表单项或材料` };
      if (!row.reason.value.trim()) return { problem: `第 ${i + 1} 项补正没有写明原因` };
      corrections.push(
        kind === 'field' ? { field: id, reason: row.reason.value.trim() } : { material: id, reason: row.reason.value.trim() },
      );
    }
    return { corrections };
  }

  get size(): number {
    return this.rows.length;
  }

  private remove(row: Row): void {
    row.element.remove();
    this.rows = this.rows.filter((r) => r !== row);
  }
}
