import { h, replaceChildren } from '../ui/dom';

export interface DockPanel {
  id: string;
  label: string;
  element: HTMLElement;
}

/** The panel area under the canvas: one panel shown at a time, chosen by its tab; closable. */
export class Dock {
  readonly element = h('section', { class: 'dock', hidden: true });
  private readonly tabs = h('div', { class: 'dock-tabs', role: 'tablist' });
  private readonly body = h('div', { class: 'dock-body' });
  private shown: string | undefined;

  constructor(private readonly panels: DockPanel[]) {
    const close = h(
      'button',
      { type: 'button', class: 'dock-close', title: '收起', 'aria-label': '收起', onclick: () => this.hide() },
      '×',
    );
    replaceChildren(this.element, h('header', { class: 'dock-header' }, this.tabs, close), this.body);
    this.renderTabs();
  }

  show(id: string): void {
    const panel = this.panels.find((p) => p.id === id);
    if (!panel) return;
    this.shown = id;
    replaceChildren(this.body, panel.element);
    this.element.hidden = false;
    this.renderTabs();
  }

  toggle(id: string): void {
    if (this.shown === id && !this.element.hidden) this.hide();
    else this.show(id);
  }

  hide(): void {
    this.element.hidden = true;
  }

  private renderTabs(): void {
    replaceChildren(
      this.tabs,
      ...this.panels.map((panel) =>
        h(
          'button',
          {
            type: 'button',
            role: 'tab',
            'aria-selected': String(panel.id === this.shown),
            'data-panel': panel.id,
            onclick: () => this.show(panel.id),
          },
          panel.label,
        ),
      ),
    );
  }
}
