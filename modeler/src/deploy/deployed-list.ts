import type { ResourceSummary } from '../api/types';
import { h, replaceChildren } from '../ui/dom';

/** What is deployed of one kind (decisions, forms): id, name, newest version and when; a name opens that resource. */
export class DeployedList {
  readonly element = h('section', { class: 'deployed-list' });

  constructor(
    private readonly title: string,
    private readonly load: () => Promise<ResourceSummary[]>,
    private readonly onOpen?: (id: string) => void,
  ) {}

  async refresh(): Promise<ResourceSummary[]> {
    const resources = await this.load();
    const rows = resources.map((r) =>
      h(
        'li',
        { 'data-resource-id': r.id, 'data-version': String(r.version) },
        this.onOpen
          ? h(
              'button',
              {
                type: 'button',
                class: 'resource-open',
                'data-action': 'open-deployed',
                title: '在编辑器中打开最新版本',
                onclick: () => this.onOpen?.(r.id),
              },
              h('strong', {}, r.name || r.id),
            )
          : h('strong', {}, r.name || r.id),
        h('span', { class: 'resource-id' }, r.id),
        h('span', { class: 'resource-version' }, `版本 ${r.version}`),
        h('time', { datetime: r.deployedAt }, new Date(r.deployedAt).toLocaleString('zh-CN')),
      ),
    );
    replaceChildren(
      this.element,
      h('h2', {}, this.title),
      rows.length ? h('ul', {}, ...rows) : h('p', { class: 'hint' }, '还没有部署过。'),
    );
    return resources;
  }
}
