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
import { offersTimeLimits, resumptionForm, suspensionOf, timeLimitForms } from './time-limits';
import type { ApplicationView, Completion, Correction, DecisionOption, MatterGuide, TaskDetail } from './types';
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

/** How long to wait, after a resumption, for the review to open again before showing the case without it. */
const REOPEN_WAIT_MS = 10_000;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The open task (or a case found by search, opened at its live task when the clerk's groups hold one): the application
 * as the form, the OCR readings beside it, the review findings, the materials, the timeline, the decision panel, and
 * the case's time limit (中止, 延期; 恢复 for a suspended case).
 */
export class TaskPanel {
  readonly element = h('section', { class: 'task-panel', 'aria-label': '办件详情' });
  private readonly form = new ApplicationForm();
  private readonly materials: MaterialsPanel;
  private readonly guides = new Map<string, Promise<MatterGuide | undefined>>();
  private readonly forms = new Map<string, Promise<string | undefined>>();
  /** Counts what was asked to open: a slow answer for an earlier click must not replace a later one. */
  private opened = 0;

  constructor(
    private readonly api: WorklistApi,
    private readonly notice: Notice,
    private readonly user: User,
    private readonly changed: () => Promise<void>,
    /** Told which task the panel shows now (undefined: a case without one, or nothing), to mark it in the list. */
    private readonly shown: (taskId: string | undefined) => void = () => {},
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

  /**
   * A case of the department: at its live task when the clerk's groups hold one (to claim and decide), else read only,
   * with 恢复办理 when it is suspended. `task`: `look` for the task, `wait` for it a while (the review reopening after a
   * resumption), or `none` (just suspended: the task is on its way out). Answers the id of the task opened, if any.
   */
  async openCase(applicationId: string, task: 'look' | 'wait' | 'none' = 'look'): Promise<string | undefined> {
    const ticket = ++this.opened;
    try {
      const application = await this.api.application(applicationId);
      if (ticket !== this.opened) return undefined;
      const started = Date.now();
      let live = task === 'none' ? undefined : await this.api.liveTaskOf(application);
      while (!live && task === 'wait' && Date.now() - started < REOPEN_WAIT_MS && ticket === this.opened) {
        await pause(1000);
        live = await this.api.liveTaskOf(application);
      }
      if (ticket !== this.opened) return undefined;
      if (live) {
        await this.openTask(live.id);
        return live.id;
      }
      await this.render(ticket, application);
    } catch (error) {
      this.notice.show('error', problemText('打开案件', error));
    }
    return undefined;
  }

  /** Something else in the panel's place (the counter intake), until a task or a case is opened. */
  show(element: HTMLElement): void {
    this.clear();
    replaceChildren(this.element, element);
  }

  empty(): void {
    this.clear();
    replaceChildren(this.element, h('p', { class: 'placeholder' }, '请从左侧选择一件待办，或者查询案件'));
  }

  private clear(): void {
    this.shown(undefined);
    this.opened++;
    this.form.destroy();
    this.materials.clear();
  }

  private async render(ticket: number, application: ApplicationView | null, task?: TaskDetail): Promise<void> {
    if (ticket !== this.opened) return;
    if (!application) {
      this.notice.show('error', '这项待办没有对应的申请');
      return;
    }
    const [guide, schema, options] = await Promise.all([
      this.guide(application.matter),
      this.formSchema(`${application.matter}-${application.action}`),
      task ? this.decisionsOf(task) : [],
    ]);
    if (ticket !== this.opened) return;
    this.shown(task?.id);
    const points = guide?.reviewPoints ?? [];
    const rules = guide?.actions[application.action];
    const comparison = task?.ocrComparison ?? [];
    const labels = Object.fromEntries((task?.fields ?? []).map((f) => [f.key, f.label]));
    const materialName = (code: string) => application.materials.find((m) => m.code === code)?.name ?? code;
    const labelOf = (c: Correction) => (c.field ? (labels[c.field] ?? c.field) : `${c.material} ${materialName(c.material ?? '')}`);
    const decision = task ? new DecisionPanel(task, options, this.user, this.handlers(task)) : undefined;
    const section = (title: string, id: string, ...children: (Node | null)[]) =>
      h('section', { class: `detail-section section-${id}`, 'aria-label': title }, h('h3', {}, title), ...children);
    const holding = task && task.state !== 'done' && task.assignee === this.user.id;
    const timeLimits =
      holding && rules && offersTimeLimits(task.formId, rules) ? timeLimitForms(rules, this.timeLimitHandlers(task), this.button) : null;
    const suspension = task ? undefined : suspensionOf(application);
    this.materials.show(application);
    replaceChildren(
      this.element,
      this.header(application, task),
      decision?.element ??
        (suspension
          ? resumptionForm(suspension, (comment) => this.resume(application.id, comment), this.button)
          : h('p', { class: 'hint read-only' }, '本岗位目前没有这个案件的待办环节，仅供查看')),
      timeLimits,
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

  /** A button that stays disabled while its action runs. */
  private readonly button = (label: string, action: string, run: () => Promise<void>): HTMLButtonElement => {
    const element = h('button', { type: 'button', 'data-action': action }, label);
    element.addEventListener('click', async () => {
      element.disabled = true;
      try {
        await run();
      } finally {
        element.disabled = false;
      }
    });
    return element;
  };

  /** 中止 and 延期 of the review task in hand: the task closes; a suspended case stays open here, to resume it. */
  private timeLimitHandlers(task: TaskDetail) {
    const applicationId = task.application!.id;
    return {
      suspend: async (reason: string) => {
        try {
          await this.api.suspend(task.id, reason);
        } catch (error) {
          this.notice.show('error', problemText('中止办理', error));
          return;
        }
        this.notice.show('success', `已中止办理：${reason}。办理期限暂停计算，可在“已中止”列表中找到本案件并恢复办理`);
        await this.changed();
        await this.openCase(applicationId, 'none');
      },
      requestExtension: async (days: number, reason: string) => {
        try {
          await this.api.requestExtension(task.id, days, reason);
        } catch (error) {
          this.notice.show('error', problemText('申请延期', error));
          return;
        }
        this.notice.show('success', `已申请延期 ${days} 个工作日，待负责人审批；审批后案件回到窗口审查`);
        await this.changed();
        this.empty();
      },
    };
  }

  private async resume(applicationId: string, comment: string | undefined): Promise<void> {
    try {
      await this.api.resume(applicationId, comment);
    } catch (error) {
      this.notice.show('error', problemText('恢复办理', error));
      if (error instanceof ApiError && error.status === 409) await this.openCase(applicationId);
      return;
    }
    this.notice.show('success', '已恢复办理，办理期限重新计算，案件回到窗口审查');
    await this.changed();
    // The review opens again in a moment: then it is in the list too.
    if (await this.openCase(applicationId, 'wait')) await this.changed();
  }

  /** The matter's guide (review points, per action its fields and time-limit rules); undefined when it cannot be read. */
  private guide(matter: string): Promise<MatterGuide | undefined> {
    let guide = this.guides.get(matter);
    if (!guide) {
      guide = this.api.matter(matter).catch(() => undefined);
      this.guides.set(matter, guide);
    }
    return guide;
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
