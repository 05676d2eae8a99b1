import { ApiError } from '../api/client';
import type { User } from '../api/types';
import { h, replaceChildren } from '../ui/dom';
import type { Notice } from '../ui/notice';
import { ApplicationForm } from './application-form';
import { DecisionPanel } from './decision-panel';
import { DUE_TEXT, dueStateOf } from './due';
import { problemText } from '../api/problem-text';
import { dateTime, valueText } from './format';
import { MaterialsPanel } from './materials';
import { comparisonSection, correctionsAskedSection, findingsSection, timelineSection } from './review-sections';
import type { ApplicationView, Completion, Correction, DecisionOption, ReviewPoint, TaskDetail } from './types';
import type { WorklistApi } from './worklist-api';

/** The decisions of a task whose form cannot be read, by its form (server/worklist/decisions.ts). */
const DECISIONS_WITHOUT_FORM: Record<string, DecisionOption[]> = {
  'common-clerk-acceptance': [
    { value: 'accept', label: '受理' },
    { value: 'refuse', label: '不予受理' },
    { value: 'return', label: '材料不齐，一次性告知补正' },
  ],
  'common-chief-approval': [
    { value: 'approve', label: '同意不予许可' },
    { value: 'reject', label: '不同意，退回重审' },
  ],
  'common-clerk-review': [
    { value: 'approve', label: '准予' },
    { value: 'reject', label: '不予' },
    { value: 'return', label: '退回补正' },
  ],
};

interface FormComponent {
  key?: string;
  values?: { value: string; label: string }[];
  components?: FormComponent[];
}

/** The options of the form's `decision` field, nested ones included. */
function decisionField(components: FormComponent[] | undefined): DecisionOption[] | undefined {
  for (const component of components ?? []) {
    if (component.key === 'decision' && component.values?.length) return component.values.map(({ value, label }) => ({ value, label }));
    const nested = decisionField(component.components);
    if (nested) return nested;
  }
  return undefined;
}

/**
 * The open task (or a case found by search): the application as the form, the OCR readings beside it, the review
 * findings, the materials, the timeline, and the decision panel.
 */
export class TaskPanel {
  readonly element = h('section', { class: 'task-panel', 'aria-label': '办件详情' });
  private readonly form = new ApplicationForm();
  private readonly materials: MaterialsPanel;
  private readonly points = new Map<string, Promise<ReviewPoint[]>>();
  private readonly forms = new Map<string, Promise<string | undefined>>();
  /** Counts what was asked to open: a slow answer for an earlier click must not replace a later one. */
  private opened = 0;

  constructor(
    private readonly api: WorklistApi,
    private readonly notice: Notice,
    private readonly user: User,
    private readonly changed: () => Promise<void>,
  ) {
    this.materials = new MaterialsPanel(api);
    this.empty();
  }

  async openTask(id: string): Promise<void> {
    const ticket = ++this.opened;
    try {
      const task = await this.api.task(id);
      await this.render(ticket, task.application, task);
    } catch (error) {
      this.notice.show('error', problemText('打开待办', error));
    }
  }

  /** A case found by search, read only: no task to act on. */
  async openCase(applicationId: string): Promise<void> {
    const ticket = ++this.opened;
    try {
      await this.render(ticket, await this.api.application(applicationId));
    } catch (error) {
      this.notice.show('error', problemText('打开案件', error));
    }
  }

  empty(): void {
    this.opened++;
    this.form.destroy();
    this.materials.clear();
    replaceChildren(this.element, h('p', { class: 'placeholder' }, '请从左侧选择一件待办，或者查询案件'));
  }

  private async render(ticket: number, application: ApplicationView | null, task?: TaskDetail): Promise<void> {
    if (ticket !== this.opened) return;
    if (!application) {
      this.notice.show('error', '这项待办没有对应的申请');
      return;
    }
    const [points, schema, options] = await Promise.all([
      this.reviewPoints(application.matter),
      this.formSchema(`${application.matter}-${application.action}`),
      task ? this.decisionsOf(task) : [],
    ]);
    if (ticket !== this.opened) return;
    const comparison = task?.ocrComparison ?? [];
    const labels = Object.fromEntries((task?.fields ?? []).map((f) => [f.key, f.label]));
    const materialName = (code: string) => application.materials.find((m) => m.code === code)?.name ?? code;
    const labelOf = (c: Correction) => (c.field ? (labels[c.field] ?? c.field) : `${c.material} ${materialName(c.material ?? '')}`);
    const decision = task ? new DecisionPanel(task, options, this.user, this.handlers(task)) : undefined;
    const section = (title: string, id: string, ...children: (Node | null)[]) =>
      h('section', { class: `detail-section section-${id}`, 'aria-label': title }, h('h3', {}, title), ...children);
    this.materials.show(application);
    replaceChildren(
      this.element,
      this.header(application, task),
      decision?.element ?? h('p', { class: 'hint' }, '从案件查询打开，仅供查看'),
      section('审查要点核验', 'findings', findingsSection(application.findings, points)),
      task &&
        section(
          '识别结果比对',
          'comparison',
          comparisonSection(
            comparison,
            decision
              ? (row) =>
                  decision.returnWith(
                    { material: row.material },
                    `材料识别为“${row.ocrValue}”，与申请表所填“${valueText(row.formValue)}”（${row.label}）不一致，请核对后重新提交`,
                  )
              : undefined,
          ),
        ),
      application.corrections.length
        ? section('上次退回的补正要求', 'corrections', correctionsAskedSection(application.corrections, labelOf))
        : null,
      section('申请表', 'form', this.form.element),
      section('申请材料', 'materials', this.materials.element),
      section('办理过程', 'timeline', timelineSection(application.timeline)),
    );
    await this.form.show(application, schema, comparison, labels);
  }

  private header(application: ApplicationView, task?: TaskDetail): HTMLElement {
    const due = task ? dueStateOf(task) : 'none';
    return h(
      'header',
      { class: 'detail-header', 'data-application-id': application.id, 'data-task-id': task?.id },
      h('h2', {}, `${application.matterName} · ${application.actionName}`),
      h(
        'dl',
        {},
        h('dt', {}, '受理编号'),
        h('dd', { class: 'case-number' }, application.caseNumber ?? '—'),
        h('dt', {}, '状态'),
        h('dd', { class: 'application-status', 'data-status': application.status }, application.statusText),
        ...(task ? [h('dt', {}, '环节'), h('dd', { class: 'task-name' }, task.name ?? '')] : []),
        ...(task?.dueDate
          ? [h('dt', {}, '办理期限'), h('dd', { class: `due due-${due}`, 'data-due': due }, dateTime(task.dueDate), ' ', DUE_TEXT[due])]
          : []),
        h('dt', {}, '提交时间'),
        h('dd', {}, dateTime(application.submittedAt)),
      ),
    );
  }

  private handlers(task: TaskDetail) {
    const act = async (doing: string, run: () => Promise<unknown>, done: string, reopen = true) => {
      try {
        await run();
        this.notice.show('success', done);
        await this.changed();
        if (reopen) await this.openTask(task.id);
        else this.empty();
      } catch (error) {
        this.notice.show('error', problemText(doing, error));
        // Someone else moved the task on: show it as it now stands (a refusal of the input keeps what was typed).
        if (error instanceof ApiError && (error.status === 409 || error.status === 404)) {
          await this.changed();
          if (error.status === 409) await this.openTask(task.id);
          else this.empty();
        }
      }
    };
    return {
      claim: () => act('认领', () => this.api.claim(task.id), '已认领，可以办理'),
      unclaim: () => act('取消认领', () => this.api.unclaim(task.id), '已取消认领，待办退回本岗'),
      complete: (input: Completion, label: string) =>
        act(
          '提交办理意见',
          () => this.api.complete(task.id, input),
          input.decision === 'return' ? `${label}：已一次性告知申请人` : `已提交：${label}`,
          false,
        ),
      transfer: (to: { user?: string; group?: string; reason?: string }) =>
        act('转办', () => this.api.transfer(task.id, to), `已转办给 ${to.user ?? to.group}`, false),
      colleagues: async () => (await this.api.colleagues()).staff,
    };
  }

  private reviewPoints(matter: string): Promise<ReviewPoint[]> {
    let points = this.points.get(matter);
    if (!points) {
      points = this.api.matter(matter).then(
        (m) => m.reviewPoints ?? [],
        () => [],
      );
      this.points.set(matter, points);
    }
    return points;
  }

  /** A deployed form's schema (latest version); undefined when it cannot be read. */
  private formSchema(id: string): Promise<string | undefined> {
    let schema = this.forms.get(id);
    if (!schema) {
      schema = this.api.formJson(id).catch(() => undefined);
      this.forms.set(id, schema);
    }
    return schema;
  }

  /** The decisions the task's own form offers (its `decision` field), as the server accepts them. */
  private async decisionsOf(task: TaskDetail): Promise<DecisionOption[]> {
    const schema = task.formId ? await this.formSchema(task.formId) : undefined;
    const offered = schema ? decisionField((JSON.parse(schema) as { components?: FormComponent[] }).components) : undefined;
    return offered ?? DECISIONS_WITHOUT_FORM[task.formId ?? ''] ?? DECISIONS_WITHOUT_FORM['common-clerk-review'];
  }
}
