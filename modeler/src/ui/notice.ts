import { h, replaceChildren } from './dom';
import './ui.css';

export type NoticeKind = 'info' | 'success' | 'error';

/** The one status line of the page: what just happened, in a sentence. */
export class Notice {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly element: HTMLElement) {
    element.setAttribute('role', 'status');
    element.setAttribute('aria-live', 'polite');
  }

  show(kind: NoticeKind, text: string, ...extra: (Node | string)[]): void {
    clearTimeout(this.timer);
    this.element.className = `notice notice-${kind}`;
    this.element.dataset.kind = kind;
    replaceChildren(this.element, h('span', { class: 'notice-text' }, text), ...extra);
    this.element.hidden = false;
    if (kind !== 'error') this.timer = setTimeout(() => this.clear(), 8000);
  }

  clear(): void {
    this.element.hidden = true;
    replaceChildren(this.element);
  }
}
