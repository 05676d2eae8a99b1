import { ApiError, type Api } from '../api/client';
import type { ProcessInstance } from '../api/types';
import type { ProcessEditor } from '../bpmn/editor';
import { h, replaceChildren } from '../ui/dom';
import { InstanceMarkers } from './instance-markers';
import { MessageSender } from './message-sender';
import { parseVariables, startVariables } from './start-variables';
import './try-it.css';

const STATES: Record<ProcessInstance['state'], string> = {
  active: '运行中',
  completed: '已完成',
  terminated: '已终止',
  incident: '有事故',
};

const POLL_MS = 1000;
const POLL_LIMIT = 60;

/**
 * "Try it": starts a sandbox instance of the version on the canvas with the variables typed here, then follows it
 * (`GET /process-instances/{key}`) and marks on the canvas where it waits. Sandbox instances make no licence,
 * signature, archive or notification (JOBS.md).
 */
export class TryItPanel {
  readonly element = h('section', { class: 'dock-panel try-it', 'aria-label': '试运行' });
  private readonly variables = h('textarea', { class: 'try-it-variables', spellcheck: 'false', rows: 7, 'aria-label': '启动变量（JSON）' });
  private readonly startButton = h('button', { type: 'button', class: 'primary', 'data-action': 'try-start' }, '启动试运行实例');
  private readonly status = h('div', { class: 'try-it-status', 'aria-live': 'polite' });
  private readonly markers: InstanceMarkers;
  private readonly messages: MessageSender;
  private instance: ProcessInstance | undefined;
  private polls = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly api: Api,
    private readonly editor: ProcessEditor,
    private readonly username: string,
    private readonly showVersion: (id: string, version: number) => Promise<void>,
  ) {
    this.markers = new InstanceMarkers(editor);
    this.messages = new MessageSender(api, editor, (key) => this.followNow(key));
    this.startButton.addEventListener('click', () => this.start());
    replaceChildren(
      this.element,
      h(
        'div',
        { class: 'try-it-start' },
        h('h2', {}, '试运行（沙箱）'),
        h('p', { class: 'hint' }, '沙箱实例不发证、不签章、不归档、不发通知；设计员发的消息只送达沙箱实例。'),
        h('label', { class: 'stacked' }, '启动变量（JSON）', this.variables),
        h('div', { class: 'row' }, this.startButton),
        this.messages.element,
      ),
      this.status,
    );
    editor.onChange(() => this.prepare());
  }

  /** Fills in the start variables for the process on the canvas, unless the designer already typed some for it. */
  prepare(): void {
    const id = this.editor.opened?.id;
    if (!id) return;
    if (this.variables.dataset.processId !== id) {
      this.variables.value = JSON.stringify(startVariables(id, this.username), null, 2);
      this.variables.dataset.processId = id;
    }
    if (this.instance && (this.instance.bpmnProcessId !== id || this.instance.version !== this.editor.opened?.version))
      this.markers.clear();
  }

  private async start(): Promise<void> {
    const opened = this.editor.opened;
    if (!opened?.version) {
      this.say('error', '这个流程还没有部署：先部署，再试运行。');
      return;
    }
    const parsed = parseVariables(this.variables.value);
    if ('problem' in parsed) {
      this.say('error', parsed.problem);
      return;
    }
    this.stop();
    this.startButton.disabled = true;
    try {
      const started = await this.api.startInstance(opened.id, opened.version, parsed.variables);
      const note = this.editor.isDirty ? `（画布上的修改尚未部署，实例运行的是已部署的版本 ${started.version}）` : '';
      this.say('info', `已启动沙箱实例 ${started.key}${note}`);
      this.polls = 0;
      await this.follow(started.key);
    } catch (error) {
      this.say('error', `启动失败：${error instanceof ApiError ? error.message : String(error)}`);
    } finally {
      this.startButton.disabled = false;
    }
  }

  private async follow(key: string): Promise<void> {
    try {
      this.instance = await this.api.instance(key);
    } catch (error) {
      this.say('error', `读取实例 ${key} 失败：${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    this.render(this.instance);
    if (this.instance.state === 'active' && ++this.polls < POLL_LIMIT) this.timer = setTimeout(() => this.follow(key), POLL_MS);
  }

  private stop(): void {
    clearTimeout(this.timer);
    this.markers.clear();
    this.messages.update(undefined);
  }

  /** Reads the instance again at once (a message was sent to it), and follows it on from there. */
  private followNow(key: string): void {
    clearTimeout(this.timer);
    this.polls = 0;
    void this.follow(key);
  }

  private render(instance: ProcessInstance): void {
    this.messages.update(instance);
    const opened = this.editor.opened;
    const sameVersion = opened?.id === instance.bpmnProcessId && opened.version === instance.version;
    const missing = sameVersion ? this.markers.show(instance) : instance.activeElements;
    if (!sameVersion) this.markers.clear();
    const names = new Map(instance.activeElements.map((id) => [id, this.editor.nameOf(id)]));
    const waitsAt = instance.activeElements.length
      ? h(
          'ul',
          { class: 'try-it-waits' },
          ...instance.activeElements.map((id) =>
            h(
              'li',
              {},
              h(
                'button',
                { type: 'button', class: 'link', 'data-element-id': id, onclick: () => this.editor.select(id) },
                names.get(id) ?? id,
              ),
            ),
          ),
        )
      : h('p', {}, instance.state === 'completed' ? '实例已走完。' : '没有等待中的环节。');
    replaceChildren(
      this.status,
      h(
        'dl',
        { class: 'try-it-facts' },
        h('dt', {}, '实例'),
        h('dd', { 'data-instance-key': instance.key }, instance.key),
        h('dt', {}, '版本'),
        h('dd', {}, String(instance.version)),
        h('dt', {}, '状态'),
        h('dd', { class: `state state-${instance.state}`, 'data-state': instance.state }, STATES[instance.state]),
      ),
      h('h3', {}, '等待于'),
      waitsAt,
      !sameVersion
        ? h(
            'p',
            { class: 'hint' },
            `画布显示的不是实例运行的版本 ${instance.version}。`,
            h(
              'button',
              { type: 'button', class: 'link', onclick: () => this.showInstanceVersion(instance) },
              `显示版本 ${instance.version}`,
            ),
          )
        : missing.length
          ? h('p', { class: 'hint' }, `画布上找不到：${missing.join('、')}`)
          : null,
      instance.incidents.length
        ? h(
            'div',
            { class: 'try-it-incidents' },
            h('h3', {}, '事故'),
            h('ul', {}, ...instance.incidents.map((i) => h('li', {}, `${i.elementId}：${i.errorMessage}`))),
          )
        : null,
      h('details', {}, h('summary', {}, '变量'), h('pre', {}, JSON.stringify(instance.variables, null, 2))),
      instance.state === 'active' ? h('button', { type: 'button', onclick: () => this.cancel(instance.key) }, '取消这个实例') : null,
    );
  }

  private async showInstanceVersion(instance: ProcessInstance): Promise<void> {
    await this.showVersion(instance.bpmnProcessId, instance.version);
    this.render(instance);
  }

  private async cancel(key: string): Promise<void> {
    try {
      await this.api.cancelInstance(key);
      this.followNow(key);
    } catch (error) {
      this.say('error', `取消失败：${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private say(kind: 'info' | 'error', text: string): void {
    replaceChildren(this.status, h('p', { class: `say say-${kind}` }, text));
  }
}
