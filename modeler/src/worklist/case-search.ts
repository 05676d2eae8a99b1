import { h, replaceChildren } from '../ui/dom';
import type { Notice } from '../ui/notice';
import { problemText } from '../api/problem-text';
import { dateTime } from './format';
import type { CaseHit } from './types';
import type { WorklistApi } from './worklist-api';

/** Finds a case of the department by case number, applicant name, ID number or credit code (names come masked). */
export class CaseSearch {
  readonly element = h('section', { class: 'case-search', 'aria-label': '案件查询' });
  private readonly results = h('ul', { class: 'case-results' });

  constructor(
    private readonly api: WorklistApi,
    private readonly notice: Notice,
    private readonly onOpen: (hit: CaseHit) => void,
  ) {
    const input = h('input', {
      id: 'case-search',
      type: 'search',
      placeholder: '受理编号、申请人名称、身份证号或统一社会信用代码',
      'aria-label': '查询案件',
      maxlength: 100,
    });
    const form = h('form', { class: 'toolbar', role: 'search' }, input, h('button', { type: 'submit' }, '查询'));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.search(input.value.trim());
    });
    replaceChildren(this.element, form, this.results);
  }

  private async search(q: string): Promise<void> {
    if (!q) {
      replaceChildren(this.results);
      return;
    }
    try {
      const hits = await this.api.cases(q);
      if (!hits.length) {
        replaceChildren(this.results, h('li', { class: 'empty' }, `没有找到与“${q}”相符的本部门案件`));
        return;
      }
      replaceChildren(
        this.results,
        ...hits.map((hit) =>
          h(
            'li',
            {},
            h(
              'button',
              { type: 'button', class: 'case-hit', 'data-application-id': hit.id, onclick: () => this.onOpen(hit) },
              h('strong', {}, hit.caseNumber),
              ` ${hit.matterName} · ${hit.actionName} · ${hit.applicantName} · ${hit.statusText}`,
              h('small', { class: 'hint' }, ` 提交于 ${dateTime(hit.submittedAt)}`),
            ),
          ),
        ),
      );
    } catch (error) {
      this.notice.show('error', problemText('查询案件', error));
    }
  }
}
