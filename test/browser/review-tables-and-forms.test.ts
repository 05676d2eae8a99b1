import { expect } from 'chai';
import type { Browser, Locator, Page } from 'playwright-core';
import { eventually } from '../support/engine';
import type { TestServer } from '../support/server';
import { launchChromium, skipWithoutChromium } from './support/chromium';
import { clearNotice, noticeOf, openModeler, screenshot, signIn, type ModelerPage } from './support/modeler-page';
import { newReviewTableXml } from '../../modeler/src/dmn/new-review-table';
import { deployAsDesigner, latestVersion, startModelerServer } from './support/modeler-server';

/** Fills the modeler's small "new …" dialog and confirms it. */
async function answer(page: Page, values: Record<string, string>): Promise<void> {
  for (const [name, value] of Object.entries(values)) await page.fill(`.ask-dialog input[name="${name}"]`, value);
  await page.click('.ask-dialog button[type=submit]');
}

/** Replaces the whole text of a decision-table cell, as a designer selects it and types over it. */
async function retype(page: Page, cell: Locator, text: string): Promise<void> {
  await cell.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(text);
  // The cell's FEEL editor (CodeMirror) holds what was typed.
  await page.waitForFunction(([element, text]) => element?.querySelector('.cm-content')?.textContent === text, [
    await cell.elementHandle(),
    text,
  ] as const);
}

/** A reissue of enterprise1's lost publication licence, filled and submitted through the API; returns its id. */
async function submittedReissue(server: TestServer): Promise<string> {
  const token = await server.login('enterprise1');
  const created = await server.request('POST', '/api/v1/applications', {
    token,
    json: {
      matter: 'publication-licence-reissue',
      action: 'apply',
      answers: { registrationChanged: 'no', lossType: 'lost', agent: 'self' },
    },
  });
  if (created.status !== 201) throw new Error(`draft: ${created.status} ${created.text}`);
  const id: string = created.body.id;
  const form = {
    reissueCopies: 'original',
    lossDate: '2026-11-01',
    lossCircumstances: '搬迁时遗失',
    contactName: '陈晓东',
    contactPhone: '13912345678',
    statementAccepted: true,
  };
  const filled = await server.request('PATCH', `/api/v1/applications/${id}`, { token, json: { form } });
  if (filled.status !== 200) throw new Error(`fill: ${filled.status} ${filled.text}`);
  const submitted = await server.request('POST', `/api/v1/applications/${id}/submit`, {
    token,
    headers: { 'idempotency-key': `submit-${id}` },
  });
  if (submitted.status !== 202) throw new Error(`submit: ${submitted.status} ${submitted.text}`);
  return id;
}

describe('browser: review tables and forms', function () {
  this.timeout(120_000);
  let server: TestServer;
  let browser: Browser;
  let modeler: ModelerPage;

  before(async function () {
    skipWithoutChromium(this);
    server = await startModelerServer();
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  beforeEach(async () => {
    modeler = await openModeler(browser, server.url);
    await signIn(modeler.page, 'designer');
  });

  afterEach(async () => {
    const problems = modeler.problems;
    await modeler.close();
    expect(problems, 'errors in the page').to.deep.equal([]);
  });

  it('edits a review rule in the DMN editor and deploys each edit as a new version', async () => {
    const { page } = modeler;
    // A matter with no review table yet (the repository's matters deploy theirs at start).
    const decision = 'tobacco-retail-licence-review';
    await page.click('.tabs button[data-tab="dmn"]');
    await page.click('.view-dmn button[data-action="new"]');
    await answer(page, { slug: 'tobacco-retail-licence', name: '烟草专卖零售许可' });
    await page.waitForSelector('.view-dmn .tjs-table');
    expect(await page.textContent('.view-dmn .hit-policy')).to.contain('命中策略');

    await clearNotice(page);
    await page.click('.view-dmn button[data-action="deploy"]');
    expect(await noticeOf(page, 'success')).to.contain(`审查表 ${decision}，版本 1`);

    // The rule's message, a FEEL string: the last output cell of the first rule, typed before its closing quote.
    const cell = page.locator('.view-dmn tbody tr').first().locator('td.output-cell').last();
    await cell.click();
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.type('（含复印件）');
    await page.click('.view-dmn .document-status');
    await screenshot(page, '7-review-rule-edited');
    await clearNotice(page);
    await page.click('.view-dmn button[data-action="deploy"]');
    expect(await noticeOf(page, 'success')).to.contain('版本 2');
    expect(await page.textContent(`.view-dmn .deployed-list li[data-resource-id="${decision}"]`)).to.contain('版本 2');

    expect(await latestVersion(server, 'decisions', decision)).to.equal(2);
    const stored = await server.running.platform.deployments.latest('dmn', decision);
    expect(stored?.content).to.contain('申请材料不齐全（含复印件）');
  });

  it("edits a rule of a matter's review table in the DMN editor, deploys it, and the next application is reviewed by the new rule", async () => {
    const { page } = modeler;
    const matter = 'publication-licence-reissue';
    const decision = `${matter}-review`;
    const rule = 'Rule_PUB_R04_StatementNotAccepted';
    const message = '遗失声明须核验登报原件，转人工审查';
    // The repository's review.dmn, as the server deployed it at start.
    const before = (await latestVersion(server, 'decisions', decision))!;
    expect(before).to.be.at.least(1);

    await page.click('.tabs button[data-tab="dmn"]');
    await page.click(`.view-dmn .deployed-list li[data-resource-id="${decision}"] button[data-action="open-deployed"]`);
    await page.waitForSelector(`.view-dmn .document-status[data-version="${before}"]`);
    expect(await page.inputValue('#decision-select')).to.equal(decision);

    // The threshold: PUB-R04 now fires whatever the statement says (was "not(true)"); then its message.
    const cell = (column: string) => page.locator(`.view-dmn td[data-row-id="${rule}"][data-col-id="${column}"]`);
    expect(await cell('Input_StatementAccepted').textContent()).to.equal('not(true)');
    await retype(page, cell('Input_StatementAccepted'), '-');
    await retype(page, cell('Output_Message'), `"${message}"`);
    await page.click('.view-dmn .document-status');
    await page.waitForSelector('.view-dmn .document-status[data-dirty="true"]');
    await screenshot(page, '7-matter-review-rule-edited');
    await clearNotice(page);
    await page.click('.view-dmn button[data-action="deploy"]');
    expect(await noticeOf(page, 'success')).to.contain(`审查表 ${decision}，版本 ${before + 1}`);
    expect(await latestVersion(server, 'decisions', decision)).to.equal(before + 1);

    // A new application, made and submitted through the API as its applicant does, is reviewed by the edited rule.
    const id = await submittedReissue(server);
    const knex = server.running.platform.db.knex;
    const event = await eventually(
      () => knex('application_events').where({ application_id: id, kind: 'review' }).first('data'),
      (e) => Boolean(e),
      60_000,
    );
    expect(event.data).to.deep.include({
      passed: false,
      tableVersion: before + 1,
      findings: [{ point: 'PUB-R04', severity: 'block', message, field: 'statementAccepted' }],
    });
    const token = await server.login('enterprise1');
    const view = await eventually(
      () => server.request('GET', `/api/v1/applications/${id}`, { token }).then((r) => r.body),
      (v) => v.status === 'manual_review',
      60_000,
    );
    expect(view.findings).to.deep.equal([{ point: 'PUB-R04', severity: 'block', message, field: 'statementAccepted' }]);
  });

  it('builds a form and deploys it', async () => {
    const { page } = modeler;
    const form = 'public-place-hygiene-permit-change-review';
    await page.click('.tabs button[data-tab="form"]');
    await page.click('.view-form button[data-action="new"]');
    await answer(page, { id: form, title: '公共场所卫生许可 变更审查' });
    await page.waitForSelector('.view-form .fjs-form-field');
    expect(await page.textContent('.view-form .fjs-editor-container')).to.contain('审查意见');

    await clearNotice(page);
    await page.click('.view-form button[data-action="deploy"]');
    expect(await noticeOf(page, 'success')).to.contain(`表单 ${form}，版本 1`);
    await screenshot(page, '8-form-deployed');
    expect(await latestVersion(server, 'forms', form)).to.equal(1);
  });

  it('speaks Chinese in the form editor, and should NOT translate what the designer wrote', async () => {
    const { page } = modeler;
    const texts = (selector: string) => page.$$eval(selector, (es) => es.map((e) => e.textContent?.trim()));
    await page.click('.tabs button[data-tab="form"]');
    await page.waitForSelector('.view-form .fjs-palette-field');

    // The palette: its groups, the field types, the search.
    expect(await page.textContent('.view-form .fjs-palette-header')).to.equal('组件');
    expect(await page.getAttribute('.view-form .fjs-palette-search', 'placeholder')).to.equal('搜索组件');
    expect(await texts('.view-form .fjs-palette-group-title')).to.deep.equal(['输入', '选择', '展示', '容器', '操作']);
    expect(await texts('.view-form .fjs-palette-field-text')).to.include.members([
      '文本框',
      '多行文本',
      '数字',
      '日期时间',
      '下拉选择',
      '单选按钮组',
      '分组',
      '按钮',
    ]);
    expect(await page.getAttribute('.view-form .fjs-palette-field[data-field-type="textfield"]', 'title')).to.equal('创建文本框');
    await page.fill('.view-form .fjs-palette-search', '文本');
    await page.waitForFunction(() => document.querySelectorAll('.view-form .fjs-palette-field').length === 3);
    expect(await texts('.view-form .fjs-palette-field-text')).to.have.members(['文本框', '多行文本', '文本']);
    await page.fill('.view-form .fjs-palette-search', '');

    // A new text field is labelled in Chinese; the properties panel names its type, groups and entries in Chinese.
    await page.focus('.view-form .fjs-palette-field[data-field-type="textfield"]');
    await page.keyboard.press('Enter');
    const field = page.locator('.view-form .fjs-editor-container .fjs-element:has(> .fjs-form-field-textfield)').last();
    await field.click();
    expect(await field.textContent()).to.contain('文本框');
    await page.waitForSelector('.view-form .bio-properties-panel-header-type:has-text("文本框")');
    expect(await texts('.view-form .bio-properties-panel-group-header-title')).to.include.members(['常规', '条件', '布局', '外观', '校验']);
    expect(await page.getAttribute('.view-form .fjs-context-pad-item', 'title')).to.equal('删除文本框');
    await page.click('.view-form .bio-properties-panel-group-header:has-text("常规")');
    expect(await texts('.view-form .bio-properties-panel-label')).to.include.members(['字段标签', '字段说明', '键', '默认值']);
    expect(await page.textContent('.view-form .bio-properties-panel-description')).to.contain('绑定到表单变量');

    // A label that is also one of form-js's own texts stays as the designer wrote it.
    await page.click('.view-form #bio-properties-panel-label');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('Email');
    await page.waitForSelector('.view-form .bio-properties-panel-header-label:has-text("Email")');
    await page.waitForSelector('.view-form .fjs-editor-container .fjs-form-field-label:has-text("Email")');
    expect(await page.textContent('.view-form .bio-properties-panel-header-label')).to.equal('Email');
    await screenshot(page, '10-form-editor-in-chinese');
  });

  it('opens a deployed review table and form from the list, and deploys a change as version 2', async () => {
    const { page } = modeler;
    const decision = 'food-business-license-review';
    const form = 'food-business-license-review-form';
    const schema = {
      id: form,
      type: 'default',
      schemaVersion: 18,
      components: [
        { id: 'Text_Title', type: 'text', text: '## 食品经营许可 窗口审查' },
        { id: 'Field_Comment', type: 'textarea', key: 'comment', label: '意见说明' },
      ],
    };
    const deployed = await deployAsDesigner(server, [
      { name: 'review.dmn', content: newReviewTableXml('food-business-license', '食品经营许可') },
      { name: `${form}.form`, content: JSON.stringify(schema, null, 2) },
    ]);
    expect(deployed).to.deep.equal({ [decision]: 1, [form]: 1 });
    const designer = await server.login('designer');

    // The review table: open it from the deployed list, edit the rule's message, deploy it as version 2.
    await page.click('.tabs button[data-tab="dmn"]');
    await page.click(`.view-dmn .deployed-list li[data-resource-id="${decision}"] button[data-action="open-deployed"]`);
    await page.waitForSelector('.view-dmn .document-status[data-version="1"]');
    expect(await page.inputValue('#decision-select')).to.equal(decision);
    expect(await page.inputValue('#decision-version-select')).to.equal('1');
    expect(await page.textContent('.view-dmn .document-status')).to.contain(decision);
    const cell = page.locator('.view-dmn tbody tr').first().locator('td.output-cell').last();
    expect(await cell.textContent()).to.contain('申请材料不齐全');
    await cell.click();
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.type('（须原件）');
    await page.click('.view-dmn .document-status');
    await clearNotice(page);
    await page.click('.view-dmn button[data-action="deploy"]');
    expect(await noticeOf(page, 'success')).to.contain(`审查表 ${decision}，版本 2`);
    await page.waitForFunction(() => document.querySelector<HTMLSelectElement>('#decision-version-select')?.value === '2');
    expect(await latestVersion(server, 'decisions', decision)).to.equal(2);
    const xml = await server.request('GET', `/api/v1/decisions/${decision}/xml`, { token: designer });
    expect(xml.text).to.contain('申请材料不齐全（须原件）');
    const first = await server.request('GET', `/api/v1/decisions/${decision}/xml?version=1`, { token: designer });
    expect(first.text).not.to.contain('（须原件）');

    // Version 1 can still be picked and opened as it was.
    await page.selectOption('#decision-version-select', '1');
    await page.waitForSelector('.view-dmn .document-status[data-version="1"]');
    expect(await page.locator('.view-dmn tbody tr').first().locator('td.output-cell').last().textContent()).not.to.contain('须原件');

    // The form: pick it in the toolbar, relabel a field, deploy it as version 2.
    await page.click('.tabs button[data-tab="form"]');
    await page.selectOption('#form-select', form);
    await page.waitForSelector('.view-form .document-status[data-version="1"]');
    expect(await page.inputValue('#form-version-select')).to.equal('1');
    expect(await page.textContent('.view-form .fjs-editor-container')).to.contain('意见说明');
    await page.click('.view-form .fjs-editor-container [data-id="Field_Comment"]');
    // The label's editor (CodeMirror) is in the properties panel's "General" (常规) group, which starts collapsed.
    await page.click('.view-form .bio-properties-panel-group-header:has-text("常规")');
    await page.click('.view-form #bio-properties-panel-label');
    await page.keyboard.press('End');
    await page.keyboard.type('（必填）');
    // The properties panel applies typing after a short pause; the status line then says there are changes.
    await page.waitForSelector('.view-form .document-status[data-dirty="true"]');
    await page.waitForSelector('.view-form .fjs-editor-container [data-id="Field_Comment"]:has-text("意见说明（必填）")');
    await screenshot(page, '9-deployed-form-edited');
    await clearNotice(page);
    await page.click('.view-form button[data-action="deploy"]');
    expect(await noticeOf(page, 'success')).to.contain(`表单 ${form}，版本 2`);
    expect(await latestVersion(server, 'forms', form)).to.equal(2);
    const json = await server.request('GET', `/api/v1/forms/${form}/json`, { token: designer });
    expect(json.text, json.text).to.contain('意见说明（必填）');
  });
});
