import { problemText } from '../api/problem-text';
import { h, replaceChildren } from '../ui/dom';
import type { Notice } from '../ui/notice';
import type { DraftView, FieldSpec, GuidanceQuestion, MatterGuide, MatterSummary } from './types';
import type { WorklistApi } from './worklist-api';

const ACTION_NAMES: Record<string, string> = { apply: '新办', change: '变更', renew: '延续', cancel: '注销' };
/** A resident ID number (18, the last may be X) or a unified social credit code (18); the server checks the digits. */
const HOLDER = /^[0-9A-Z]{18}$/;

interface Editor {
  spec: FieldSpec;
  read(): unknown;
}

/**
 * 窗口受理: the clerk at the window finds the person (by resident ID number) or the enterprise (by USCC) in the
 * registries, picks the matter and its action, answers the questionnaire with them, and makes the application on their
 * behalf (`POST /counter/applications`); then fills what the registries did not, scans the materials in and submits it
 * with the applicant's calls. The draft is the holder's; the audit log records the clerk.
 */
export class CounterIntake {
  readonly element = h('section', { class: 'counter-intake', 'aria-label': '窗口受理' });
  private readonly holder = h('input', {
    id: 'counter-holder',
    placeholder: '公民身份号码或统一社会信用代码（18位）',
    maxlength: 18,
    autocomplete: 'off',
  });
  private readonly matter: HTMLSelectElement;
  private readonly action = h('select', { id: 'counter-action', 'aria-label': '业务' });
  private readonly questions = h('div', { class: 'counter-questions' });
  private readonly materialsPlanned = h('div', { class: 'counter-materials-planned' });
  private readonly problem = h('p', { class: 'form-problem', role: 'alert' });
  private readonly create = h(
    'button',
    { type: 'button', class: 'primary', 'data-action': 'counter-create', disabled: true },
    '为其创建申请',
  );
  private readonly guides = new Map<string, Promise<MatterGuide>>();
  private answers: Record<string, unknown> = {};
  /** Counts questionnaire calls: an answer to an earlier choice must not replace a later one. */
  private asked = 0;

  constructor(
    private readonly api: WorklistApi,
    private readonly notice: Notice,
    private readonly matters: MatterSummary[],
    private readonly submitted: (applicationId: string) => Promise<void>,
  ) {
    this.matter = h(
      'select',
      { id: 'counter-matter', 'aria-label': '事项' },
      ...matters.map((m) => h('option', { value: m.slug }, m.name)),
    );
    this.matter.addEventListener('change', () => this.fillActions());
    this.action.addEventListener('change', () => this.restartQuestionnaire());
    this.create.addEventListener('click', () => void this.createDraft());
    this.start();
  }

  /** The first step again: whom, which matter and action, the questionnaire. */
  start(): void {
    this.problem.textContent = '';
    replaceChildren(
      this.element,
      h('h2', {}, '窗口受理'),
      h('p', { class: 'hint' }, '按申请人出示的证件查找其身份（人口库或法人库），代其填报并提交申请；办理记录注明为窗口代办。'),
      this.matters.length
        ? h(
            'div',
            { class: 'counter-step' },
            h('label', {}, '申请人证件号码', this.holder),
            h('label', {}, '事项', this.matter),
            h('label', {}, '业务', this.action),
            this.questions,
            this.materialsPlanned,
            this.problem,
            this.create,
          )
        : h('p', { class: 'hint' }, '本部门没有可在窗口受理的事项'),
    );
    if (this.matters.length) this.fillActions();
  }

  private fillActions(): void {
    const matter = this.matters.find((m) => m.slug === this.matter.value);
    replaceChildren(this.action, ...(matter?.actions ?? []).map((a) => h('option', { value: a }, ACTION_NAMES[a] ?? a)));
    void this.guide(this.matter.value)
      .then((guide) => {
        for (const option of this.action.options) option.textContent = guide.actions[option.value]?.name ?? option.textContent;
      })
      .catch(() => undefined);
    this.restartQuestionnaire();
  }

  private restartQuestionnaire(): void {
    this.answers = {};
    replaceChildren(this.questions);
    void this.askNext();
  }

  /** The questionnaire (`POST /matters/{slug}/guidance`) one question at a time, until none is left. */
  private async askNext(): Promise<void> {
    const ticket = ++this.asked;
    this.create.disabled = true;
    try {
      const guidance = await this.api.guidance(this.matter.value, this.action.value, this.answers);
      if (ticket !== this.asked) return;
      this.problem.textContent = guidance.eligible === false ? `不能办理：${guidance.reasons.join('；')}` : '';
      replaceChildren(
        this.materialsPlanned,
        guidance.materials.length ? h('p', { class: 'hint' }, '需提交的材料：', guidance.materials.map((m) => m.name).join('、')) : null,
      );
      if (guidance.nextQuestion) this.questions.append(this.question(guidance.nextQuestion));
      else this.create.disabled = guidance.eligible === false;
    } catch (error) {
      if (ticket === this.asked) this.problem.textContent = problemText('读取办事指南', error);
    }
  }

  private question(question: GuidanceQuestion): HTMLElement {
    const name = `counter-q-${question.id}`;
    const boxes = question.options.map((o) =>
      h('input', { type: question.multiple ? 'checkbox' : 'radio', name, value: o.value, 'data-question': question.id }),
    );
    const fieldset = h(
      'fieldset',
      { class: 'counter-question', 'data-question': question.id },
      h('legend', {}, question.text),
      question.help ? h('p', { class: 'hint' }, question.help) : null,
      ...question.options.map((o, i) => h('label', { class: 'check' }, boxes[i], o.label)),
    );
    const answer = () => {
      const chosen = boxes.filter((b) => b.checked).map((b) => b.value);
      // A changed answer may change what is asked next: forget the later ones.
      let later = fieldset.nextElementSibling;
      while (later) {
        const next = later.nextElementSibling;
        delete this.answers[(later as HTMLElement).dataset.question ?? ''];
        later.remove();
        later = next;
      }
      if (!chosen.length) {
        delete this.answers[question.id];
        this.create.disabled = true;
        return;
      }
      this.answers[question.id] = question.multiple ? chosen : chosen[0];
      void this.askNext();
    };
    for (const box of boxes) box.addEventListener('change', answer);
    return fieldset;
  }

  private async createDraft(): Promise<void> {
    const holder = this.holder.value.trim().toUpperCase();
    if (!HOLDER.test(holder)) {
      this.problem.textContent = '请输入18位公民身份号码或统一社会信用代码';
      this.holder.focus();
      return;
    }
    this.problem.textContent = '';
    this.create.disabled = true;
    try {
      const draft = await this.api.counterDraft({ holder, matter: this.matter.value, action: this.action.value, answers: this.answers });
      const guide = await this.guide(draft.matter);
      this.notice.show('success', `已为申请人创建${draft.matterName}（${draft.actionName}）申请，请补全表单和材料后提交`);
      this.showDraft(draft, holder, guide.actions[draft.action]?.fields ?? []);
    } catch (error) {
      this.problem.textContent = problemText('创建申请', error);
    } finally {
      this.create.disabled = false;
    }
  }

  /** The second step: the draft's form (prefilled values shown, locked ones fixed), its materials, and 提交. */
  private showDraft(draft: DraftView, holder: string, fields: FieldSpec[]): void {
    const problem = h('p', { class: 'form-problem', role: 'alert' });
    const editors = fields.map((spec) => this.editor(spec, draft.form[spec.key]));
    const materials = draft.materials.filter((m) => m.channel !== 'generated');
    const submit = h('button', { type: 'button', class: 'primary', 'data-action': 'counter-submit' }, '代为提交申请');
    submit.addEventListener('click', async () => {
      submit.disabled = true;
      try {
        await this.submit(draft, editors, problem);
      } finally {
        submit.disabled = false;
      }
    });
    replaceChildren(
      this.element,
      h('h2', {}, `窗口受理 · ${draft.matterName} · ${draft.actionName}`),
      h(
        'dl',
        { class: 'counter-draft', 'data-application-id': draft.id },
        h('dt', {}, '申请人证件号码'),
        h('dd', { class: 'counter-holder-code' }, holder),
        h('dt', {}, '申请编码'),
        h('dd', { class: 'resume-code' }, draft.resumeCode ?? '—'),
      ),
      h('p', { class: 'hint' }, '标“库”的内容取自登记信息或电子证照库，不能修改；其余请按申请人所述填写。'),
      h('div', { class: 'counter-form' }, ...editors.map((e) => e.element)),
      materials.length
        ? h(
            'section',
            { class: 'counter-materials', 'aria-label': '申请材料' },
            h('h3', {}, '申请材料'),
            ...materials.map((m) => this.materialRow(draft.id, m)),
          )
        : null,
      problem,
      h(
        'div',
        { class: 'row' },
        submit,
        h('button', { type: 'button', 'data-action': 'counter-restart', onclick: () => this.start() }, '放弃，重新开始'),
      ),
    );
  }

  private editor(
    spec: FieldSpec,
    current: { value: unknown; source: string; locked?: boolean } | undefined,
  ): Editor & { element: HTMLElement } {
    const id = `counter-field-${spec.key}`;
    const value = current?.value;
    const locked = Boolean(current?.locked);
    const label = h('span', { class: 'field-label' }, spec.label, spec.required ? h('span', { class: 'required' }, ' *') : null);
    const source =
      current && current.source !== 'applicant' && value !== null && value !== undefined && value !== ''
        ? h('small', { class: 'field-source' }, locked ? '库' : '已预填')
        : null;
    let control: HTMLElement;
    let read: () => unknown;
    if (spec.type === 'checkbox') {
      const box = h('input', { id, type: 'checkbox', 'data-field': spec.key, disabled: locked });
      box.checked = value === true;
      control = box;
      read = () => box.checked;
    } else if (spec.type === 'select') {
      const select = h(
        'select',
        { id, 'data-field': spec.key, disabled: locked },
        h('option', { value: '' }, '请选择'),
        ...(spec.options ?? []).map((o) => h('option', { value: o.value, selected: o.value === value }, o.label)),
      );
      control = select;
      read = () => select.value || null;
    } else if (spec.type === 'multiselect') {
      const chosen = Array.isArray(value) ? (value as string[]) : [];
      const boxes = (spec.options ?? []).map((o) =>
        h('input', { type: 'checkbox', value: o.value, 'data-field': spec.key, checked: chosen.includes(o.value), disabled: locked }),
      );
      control = h('span', { class: 'multi', id }, ...(spec.options ?? []).map((o, i) => h('label', { class: 'check' }, boxes[i], o.label)));
      read = () => boxes.filter((b) => b.checked).map((b) => b.value);
    } else if (spec.type === 'textarea') {
      const area = h('textarea', { id, rows: 2, 'data-field': spec.key, readonly: locked, maxlength: 2000 });
      area.value = value === null || value === undefined ? '' : String(value);
      control = area;
      read = () => area.value.trim() || null;
    } else {
      const type = spec.type === 'date' ? 'date' : spec.type === 'number' ? 'number' : spec.type === 'phone' ? 'tel' : 'text';
      const input = h('input', {
        id,
        type,
        'data-field': spec.key,
        readonly: locked,
        maxlength: type === 'text' || type === 'tel' ? 200 : undefined,
      });
      input.value = value === null || value === undefined ? '' : String(value);
      control = input;
      read = () => {
        const text = input.value.trim();
        if (!text) return null;
        return type === 'number' ? Number(text) : text;
      };
    }
    const element = h('label', { class: `counter-field${locked ? ' locked' : ''}`, 'data-field': spec.key }, label, control, source);
    return { spec, element, read: locked ? () => undefined : read };
  }

  private materialRow(applicationId: string, material: DraftView['materials'][number]): HTMLElement {
    const state = h('span', { class: 'material-state' });
    const show = (text: string, kind: 'done' | 'missing' | 'exempt' | 'optional') => {
      state.textContent = text;
      state.dataset.state = kind;
    };
    if (material.exemptBecause) {
      show(`无需提交：${material.exemptBecause}`, 'exempt');
      return h('div', { class: 'counter-material', 'data-material': material.code }, h('strong', {}, material.name), ' ', state);
    }
    if (material.handedIn) show(`已收：${material.handedIn.fileName}`, 'done');
    else show(material.required ? '未收' : '选交', material.required ? 'missing' : 'optional');
    const file = h('input', { type: 'file', 'data-material': material.code, 'aria-label': `扫描上传：${material.name}` });
    file.addEventListener('change', async () => {
      const chosen = file.files?.[0];
      if (!chosen) return;
      file.disabled = true;
      show('上传中…', 'missing');
      try {
        await this.api.uploadMaterial(applicationId, material.code, chosen);
        show(`已收：${chosen.name}`, 'done');
      } catch (error) {
        show(problemText('上传材料', error), material.required ? 'missing' : 'optional');
      } finally {
        file.disabled = false;
      }
    });
    return h(
      'div',
      { class: 'counter-material', 'data-material': material.code },
      h('strong', {}, material.name),
      material.required ? h('span', { class: 'required' }, ' *') : null,
      ' ',
      state,
      file,
    );
  }

  /** Saves what was typed (`PATCH`), then submits; a refusal names what is missing and keeps the draft. */
  private async submit(draft: DraftView, editors: Editor[], problem: HTMLElement): Promise<void> {
    const missing = editors.filter((e) => {
      const value = e.read();
      return e.spec.required && value !== undefined && (value === null || (Array.isArray(value) && !value.length));
    });
    if (missing.length) {
      problem.textContent = `请填写：${missing.map((e) => e.spec.label).join('、')}`;
      return;
    }
    const unsent = [...this.element.querySelectorAll<HTMLElement>('.counter-material .material-state[data-state="missing"]')];
    if (unsent.length) {
      const names = unsent.map((s) => s.closest('.counter-material')?.querySelector('strong')?.textContent ?? '');
      problem.textContent = `请先扫描上传：${names.join('、')}`;
      return;
    }
    problem.textContent = '';
    const form = Object.fromEntries(
      editors
        .map((e) => [e.spec.key, e.read()] as const)
        .filter(([key, value]) => value !== undefined && JSON.stringify(value) !== JSON.stringify(draft.form[key]?.value ?? null)),
    );
    try {
      if (Object.keys(form).length) await this.api.fillForm(draft.id, form);
      await this.api.submit(draft.id);
    } catch (error) {
      problem.textContent = problemText('提交申请', error);
      return;
    }
    this.notice.show('success', `已代为提交${draft.matterName}（${draft.actionName}）申请`);
    await this.submitted(draft.id);
  }

  private guide(slug: string): Promise<MatterGuide> {
    let guide = this.guides.get(slug);
    if (!guide) {
      guide = this.api.matter(slug);
      guide.catch(() => this.guides.delete(slug));
      this.guides.set(slug, guide);
    }
    return guide;
  }
}
