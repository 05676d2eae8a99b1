import { ApiError, type Api } from '../api/client';
import type { ProcessInstance } from '../api/types';
import type { ProcessEditor } from '../bpmn/editor';
import { h, replaceChildren } from '../ui/dom';
import { awaitedMessages } from './awaited-messages';
import { parseVariables } from './start-variables';

/**
 * Publishes a message (`POST /messages`) so that a tried instance waiting for one moves on. The name and correlation
 * key are filled in from what the instance waits for; a designer's message reaches only sandbox instances (JOBS.md).
 */
export class MessageSender {
  readonly element = h('form', { class: 'try-it-message', hidden: true, 'aria-label': '发送消息' });
  private readonly name = h('input', { name: 'message-name', required: true, list: 'try-it-message-names', autocomplete: 'off' });
  private readonly names = h('datalist', { id: 'try-it-message-names' });
  private readonly correlationKey = h('input', { name: 'correlation-key', autocomplete: 'off' });
  private readonly variables = h('textarea', { name: 'message-variables', rows: 3, spellcheck: 'false' });
  private readonly button = h('button', { type: 'submit', class: 'primary', 'data-action': 'try-message' }, '发送消息');
  private readonly result = h('p', { class: 'try-it-message-result', 'aria-live': 'polite' });
  private instance: ProcessInstance | undefined;
  /** What was last filled in from the instance, so that a designer's own typing is not overwritten by the next poll. */
  private filled = '';

  constructor(
    private readonly api: Api,
    private readonly editor: ProcessEditor,
    private readonly published: (instanceKey: string) => void,
  ) {
    this.variables.placeholder = '{"corrected": true}';
    replaceChildren(
      this.element,
      h('h3', {}, '发送消息'),
      h('p', { class: 'hint' }, '实例等待消息时，在这里发给它（只送达沙箱实例）。'),
      h('label', { class: 'stacked' }, '消息名称', this.name, this.names),
      h('label', { class: 'stacked' }, '关联键', this.correlationKey),
      h('label', { class: 'stacked' }, '消息变量（JSON，可不填）', this.variables),
      h('div', { class: 'row' }, this.button),
      this.result,
    );
    this.element.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.publish();
    });
  }

  /** Shows the form while the instance runs, offering the messages its active elements wait for. */
  update(instance: ProcessInstance | undefined): void {
    const changed = instance?.key !== this.instance?.key;
    this.instance = instance;
    this.element.hidden = instance?.state !== 'active';
    if (changed) this.result.textContent = '';
    if (!instance || instance.state !== 'active') return;
    const awaited = awaitedMessages(this.editor, instance);
    replaceChildren(this.names, ...awaited.map((m) => h('option', { value: m.name }, this.editor.nameOf(m.elementId))));
    const first = awaited[0];
    const offer = first ? `${first.name}\u0000${first.correlationKey ?? ''}` : '';
    if (offer === this.filled && !changed) return;
    this.filled = offer;
    this.name.value = first?.name ?? '';
    this.correlationKey.value = first?.correlationKey ?? '';
    this.correlationKey.placeholder = first?.expression ?? '';
  }

  private async publish(): Promise<void> {
    const instance = this.instance;
    if (!instance) return;
    const parsed = parseVariables(this.variables.value);
    if ('problem' in parsed) {
      this.say('error', parsed.problem);
      return;
    }
    const name = this.name.value.trim();
    const correlationKey = this.correlationKey.value.trim();
    this.button.disabled = true;
    try {
      const answer = await this.api.publishMessage({ name, correlationKey, variables: parsed.variables });
      const reached = answer.correlatedInstanceKeys?.includes(instance.key);
      this.say(
        'info',
        reached
          ? `已发送消息“${name}”（关联键 ${correlationKey || '空'}），实例 ${instance.key} 已收到。`
          : `已发送消息“${name}”（关联键 ${correlationKey || '空'}）${answer.buffered ? '，暂无实例接收，消息已缓存' : ''}。`,
      );
      this.published(instance.key);
    } catch (error) {
      this.say('error', `发送失败：${error instanceof ApiError ? error.message : String(error)}`);
    } finally {
      this.button.disabled = false;
    }
  }

  private say(kind: 'info' | 'error', text: string): void {
    this.result.textContent = text;
    this.result.className = `try-it-message-result say say-${kind}`;
  }
}
