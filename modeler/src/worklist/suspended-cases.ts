import { h, replaceChildren } from '../ui/dom';
import type { Notice } from '../ui/notice';
import { problemText } from '../api/problem-text';
import { dateTime } from './format';
import type { CaseHit } from './types';
import type { WorklistApi } from './worklist-api';

/**
 * The department's suspended cases (已中止): they have no task while the clock stands still, so they are listed here,
 * since when and why, each opening the case with its 恢复办理.
 */
export class SuspendedCases {
  readonly element = h('section', { class: 'suspended-cases', 'aria-label': '已中止案件' });
  private readonly results = h('ul', { class: 'suspended-results' });
  private readonly count = h('span', { class: 'task-count', 'aria-live': 'polite' });
  /** Counts the loads: an earlier answer must not land over a later one. */
  private loads = 0;

  constructor(
    private readonly api: WorklistApi,
    private readonly notice: Notice,
    private readonly onOpen: (hit: CaseHit) => void,
  ) {
    replaceChildren(
      this.element,
      h(
        'div',
        { class: 'toolbar', role: 'toolbar', 'aria-label': '已中止案件' },
        h('button', { type: 'button', 'data-action': 'refresh-suspended', onclick: () => this.refresh() }, '刷新'),
        this.count,
      ),
      this.results,
    );
  }

  async refresh(): Promise<void> {
    const load = ++this.loads;
    this.element.setAttribute('aria-busy', 'true');
    try {
      const { cases, truncated } = await this.api.suspendedCases();
      if (load !== this.loads) return;
      this.count.textContent = truncated ? `最早中止的 ${cases.length} 件（还有更多）` : `共 ${cases.length} 件`;
      if (!cases.length) {
        replaceChildren(this.results, h('li', { class: 'empty' }, '本部门没有中止办理的案件'));
        return;
      }
      replaceChildren(
        this.results,
        ...cases.map((hit) =>
          h(
            'li',
            {},
            h(
              'button',
              { type: 'button', class: 'suspended-case', 'data-application-id': hit.id, onclick: () => this.onOpen(hit) },
              h('strong', {}, hit.caseNumber),
              ` ${hit.matterName} · ${hit.actionName} · ${hit.applicantName}`,
              h(
                'small',
                { class: 'hint suspension-reason' },
                ` 中止于 ${dateTime(hit.suspension?.since ?? null)}${hit.suspension?.reason ? `：${hit.suspension.reason}` : ''}`,
              ),
            ),
          ),
        ),
      );
    } catch (error) {
      this.notice.show('error', problemText('读取已中止案件', error));
    } finally {
      if (load === this.loads) this.element.removeAttribute('aria-busy');
    }
  }
}
