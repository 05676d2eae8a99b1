import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { properties } from '../../modeler/src/i18n/zh-CN/properties';
import { tooltips } from '../../modeler/src/i18n/zh-CN/tooltips';
import sharp from 'sharp';
import { Checker } from '../../server/deployments/checker';
import { HYGIENE_CHANGE_FORM } from '../support/hygiene-change';
import { approvalsLintRules } from '../../server/deployments/rules';
import type { TestServer } from '../support/server';
import { Cases } from './support/cases';
import { launchChromium, skipWithoutChromium } from './support/chromium';
import {
  clearNotice,
  downloadDiagram,
  drawServiceTask,
  dropOnFlow,
  noticeOf,
  openModeler,
  openProcess,
  screenshot,
  shownVersion,
  signIn,
  type ModelerPage,
} from './support/modeler-page';
import { deployAsDesigner, fixture, latestVersion, startModelerServer } from './support/modeler-server';

const CHANGE = 'public-place-hygiene-permit-change';
const RENEW = 'public-place-hygiene-permit-renew';

/** Starts a sandbox instance of the change process through the API, as the try-it panel does; returns its key. */
async function startInstance(server: TestServer, token: string): Promise<string> {
  const reply = await server.request('POST', '/api/v1/process-instances', {
    token,
    json: { bpmnProcessId: CHANGE, variables: { matterSlug: 'public-place-hygiene-permit', action: 'change', applicantId: 'designer' } },
  });
  if (reply.status !== 201) throw new Error(`start: ${reply.status} ${reply.text}`);
  return String(reply.body.key);
}

// The English of the properties panel we translate, as words; words the Chinese keeps (FEEL, JSON, ID, UTC…) are allowed.
const wordsOf = (text: string) => text.match(/[A-Za-z]{2,}/g) ?? [];
const KEPT = new Set([...Object.values(properties), ...Object.values(tooltips)].flatMap(wordsOf));
const ENGLISH = new Set([...Object.keys(properties), ...Object.keys(tooltips)].flatMap(wordsOf).filter((w) => !KEPT.has(w)));
const allChinese = (titles: string[]) => titles.length > 0 && titles.every((t) => /[\u4e00-\u9fff]/.test(t));

/** The titles of the context pad's entries for the selected element. */
async function contextPadTitles(page: Page): Promise<string[]> {
  await page.waitForSelector('.djs-context-pad .entry');
  return page.$$eval('.djs-context-pad .entry', (es) => es.map((e) => e.getAttribute('title') ?? ''));
}

/**
 * Opens every group and list entry of the properties panel, then lists the English words of its visible text (what the
 * designer typed, in editors and inputs, is not the panel's own text).
 */
async function englishInPanel(page: Page): Promise<string[]> {
  const closed = '.bio-properties-panel-group-header:not(.open), .bio-properties-panel-collapsible-entry-header:not(.open)';
  for (let round = 0; round < 20 && (await page.locator(closed).count()); round++) await page.locator(closed).first().click();
  const text = await page.evaluate(() => {
    const panel = document.querySelector('.bio-properties-panel')!;
    const walker = document.createTreeWalker(panel, NodeFilter.SHOW_TEXT);
    const parts: string[] = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest('[contenteditable], .cm-editor, textarea, select')) continue;
      if (!parent.checkVisibility()) continue;
      parts.push(node.textContent ?? '');
    }
    return parts.join(' ');
  });
  return [...new Set(wordsOf(text).filter((w) => ENGLISH.has(w)))];
}

describe('browser: the process modeler', function () {
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

  it('signs a designer in and speaks Chinese, with our job types in the palette', async () => {
    const { page } = modeler;
    expect(await page.textContent('.user')).to.contain('designer');
    const entries = await page.$$eval('.djs-palette .approvals-template-entry', (es) => es.map((e) => e.getAttribute('aria-label')));
    expect(entries).to.include.members(['OCR 识别', '信息预填', '审查要点核验', '电子签章', '发布电子证照', '归档', '发送通知']);
    expect(await page.getAttribute('.djs-palette .entry[data-action="create.start-event"]', 'aria-label')).to.equal('创建开始事件');
  });

  it('speaks Chinese in the properties panel of a service task, a user task and a call activity, and in the context pad', async () => {
    const { page } = modeler;
    await openProcess(page, CHANGE);
    await drawServiceTask(page, 600, 700, '核验营业执照');
    await screenshot(page, '0-context-pad');
    expect(await contextPadTitles(page), 'context pad of a service task').to.satisfy(allChinese);
    expect(await englishInPanel(page), 'properties panel of a service task').to.deep.equal([]);

    await drawServiceTask(page, 900, 700, '现场核查');
    await page.click('.djs-context-pad .entry[data-action="replace"]');
    await page.click('.djs-popup .entry[data-id="replace-with-user-task"]');
    await page.waitForSelector('.bio-properties-panel-header-type:has-text("用户任务")');
    expect(await englishInPanel(page), 'properties panel of a user task').to.deep.equal([]);

    await page.click('.djs-element[data-element-id="Call_ReviewDecideIssue"]');
    await page.waitForSelector('.bio-properties-panel-header-type:has-text("调用活动")');
    expect(await contextPadTitles(page), 'context pad of a call activity').to.satisfy(allChinese);
    expect(await englishInPanel(page), 'properties panel of a call activity').to.deep.equal([]);
    const groups = await page.$$eval('.bio-properties-panel-group-header-title', (es) => es.map((e) => e.textContent));
    expect(groups).to.include.members(['变量传入', '变量传回']);
    await screenshot(page, '0-call-activity-properties');
  });

  it('comes compressed: the browser gets the built script as brotli or gzip, and either is the script itself', async () => {
    const { page } = modeler;
    const [script] = await Promise.all([page.waitForResponse((r) => /\/modeler\/assets\/modeler-[^/]+\.js$/.test(r.url())), page.reload()]);
    expect(await script.headerValue('content-encoding')).to.be.oneOf(['br', 'gzip']);
    const plain = await (await fetch(script.url(), { headers: { 'accept-encoding': 'identity' } })).text();
    expect(plain).to.contain('流程设计器');
    for (const coding of ['br', 'gzip']) {
      const asset = await fetch(script.url(), { headers: { 'accept-encoding': coding } });
      expect(asset.headers.get('content-encoding')).to.equal(coding);
      expect(Number(asset.headers.get('content-length'))).to.be.below(Buffer.byteLength(plain) / 3);
      expect(await asset.text()).to.equal(plain);
    }
  });

  it('opens the change process, adds an OCR task from its template, deploys, and sees the version go up; an instance started before keeps its version, the next application runs the new one', async () => {
    const { page } = modeler;
    const designer = await server.login('designer');
    // The repository's processes/public-place-hygiene-permit/change.bpmn, as the server deployed it at start.
    const before = (await latestVersion(server, 'processes', CHANGE))!;
    const repository = fs.readFileSync(path.resolve('processes/public-place-hygiene-permit/change.bpmn'), 'utf8');
    const served = (await server.request('GET', `/api/v1/processes/${CHANGE}/xml`, { token: designer })).text;
    expect(served).to.equal(repository);
    const running = await startInstance(server, designer);

    await openProcess(page, CHANGE);
    expect(await shownVersion(page)).to.equal(String(before));
    expect(await page.locator('.djs-element[data-element-id="Call_ReviewDecideIssue"]').textContent()).to.contain('审查、决定与发证');

    await dropOnFlow(page, 'OCR 识别', 'Flow_ToReviewDecideIssue');
    const task = page.locator('.djs-element.selected');
    expect(await task.textContent()).to.contain('OCR 识别');
    expect(await page.textContent('.bio-properties-panel-header')).to.contain('OCR 识别');
    await screenshot(page, '1-ocr-from-template');

    await clearNotice(page);
    await page.click('.view-bpmn button[data-action="deploy"]');
    expect(await noticeOf(page, 'success')).to.contain(`版本 ${before + 1}`);
    expect(await shownVersion(page)).to.equal(String(before + 1));
    // The version list is read again from the server after the deployment: it catches up a moment later.
    await page.waitForFunction((v) => document.querySelector<HTMLSelectElement>('#version-select')?.value === v, String(before + 1));
    await screenshot(page, '2-deployed-new-version');

    expect(await latestVersion(server, 'processes', CHANGE)).to.equal(before + 1);
    const xml = (await server.request('GET', `/api/v1/processes/${CHANGE}/xml`, { token: await server.login('designer') })).text;
    expect(xml).to.match(/zeebe:modelerTemplate="approvals\.ocr"/);
    expect(xml).to.match(/<zeebe:taskDefinition type="ocr"/);
    expect(xml).to.contain('common-review-decide-issue');

    // The instance started before keeps its version; a new one runs the new version.
    const started = await startInstance(server, designer);
    const instance = (key: string) => server.request('GET', `/api/v1/process-instances/${key}`, { token: designer }).then((r) => r.body);
    expect((await instance(running)).version).to.equal(before);
    expect((await instance(started)).version).to.equal(before + 1);

    // So does the next application: enterprise1's change of legal representative, filed and submitted as its applicant does.
    const applicant = await server.login('enterprise1');
    const draft = await server.request('POST', '/api/v1/applications', {
      token: applicant,
      json: { matter: 'public-place-hygiene-permit', action: 'change', answers: { changeItems: ['legal-representative'], agent: 'self' } },
    });
    expect(draft.status, draft.text).to.equal(201);
    const cases = new Cases(server);
    const filled = await server.request('PATCH', `/api/v1/applications/${draft.body.id}`, {
      token: applicant,
      json: { form: HYGIENE_CHANGE_FORM },
    });
    expect(filled.status, filled.text).to.equal(200);
    await cases.upload(
      applicant,
      draft.body.id,
      'HP-13',
      await sharp({ create: { width: 64, height: 48, channels: 3, background: '#ffffff' } })
        .png()
        .toBuffer(),
      '变更证明.png',
    );
    await cases.submit(applicant, draft.body.id);
    const application = await cases.until(applicant, draft.body.id, (v) => Boolean(v.processInstanceKey));
    const admin = await server.login('admin');
    const run = (await server.request('GET', `/api/v1/process-instances/${application.processInstanceKey}`, { token: admin })).body;
    expect(run).to.include({ bpmnProcessId: CHANGE, version: before + 1 });
  });

  it('shows the lint error of a service task with no job type on the canvas, and refuses to deploy it', async () => {
    const { page } = modeler;
    await openProcess(page, CHANGE);
    const before = await latestVersion(server, 'processes', CHANGE);
    const id = await drawServiceTask(page, 600, 700, '核验营业执照');

    const overlay = page.locator(`.djs-overlays[data-container-id="${id}"] .bjsl-overlay`);
    await overlay.waitFor();
    expect(await page.textContent('.bjsl-button')).to.match(/\d+ 个错误/);
    await overlay.hover();
    await screenshot(page, '3-lint-on-canvas');

    await clearNotice(page);
    await page.click('.view-bpmn button[data-action="deploy"]');
    expect(await noticeOf(page, 'error')).to.contain('未部署');
    const problem = page.locator(`.problems li[data-element-id="${id}"][data-rule="camunda-compat/implementation"]`);
    expect(await problem.textContent()).to.contain('任务定义');
    await screenshot(page, '3-lint-deploy-refused');
    expect(await latestVersion(server, 'processes', CHANGE)).to.equal(before);

    // The server's deployment check refuses the same diagram.
    const body = new FormData();
    body.append('resources', new Blob([await downloadDiagram(page)]), 'change.bpmn');
    const refused = await server.request('POST', '/api/v1/deployments', { token: await server.login('designer'), body });
    expect(refused.status).to.equal(400);
    expect(refused.body.error.details.map((d: { rule?: string; elementId?: string }) => `${d.rule} ${d.elementId}`)).to.include(
      `camunda-compat/implementation ${id}`,
    );
  });

  it('reports a job type that no worker serves, with the rule the server runs at deployment', async () => {
    const { page } = modeler;
    await openProcess(page, CHANGE);
    const id = await drawServiceTask(page, 600, 700, '缴费');
    await page.click('[data-group-id="group-taskDefinition"] .bio-properties-panel-group-header');
    await page.fill('#bio-properties-panel-taskDefinitionType', 'payment');
    await page.locator('#bio-properties-panel-taskDefinitionType').blur();

    const overlay = page.locator(`.djs-overlays[data-container-id="${id}"] .bjsl-overlay`);
    await page.waitForFunction(
      (id) => document.querySelector(`.djs-overlays[data-container-id="${id}"] .bjsl-overlay`)?.textContent?.includes('payment'),
      id,
    );
    expect(await overlay.textContent()).to.contain('没有作业处理程序处理类型“payment”');
    await overlay.hover();
    await screenshot(page, '4-unserved-job-type');

    const checked = await new Checker(approvalsLintRules()).inspect([
      { name: 'change.bpmn', content: Buffer.from(await downloadDiagram(page)) },
    ]);
    expect(checked.report.errors.map((e) => `${e.rule} ${e.elementId}`)).to.include(`approvals/served-task-type ${id}`);
  });

  it('tries the process: starts a sandbox instance and marks on the canvas where it waits', async () => {
    const { page } = modeler;
    // The renewal is never approved with no person: its sandbox instance waits in the review's clerk path.
    await openProcess(page, RENEW);
    await page.click('.view-bpmn button[data-action="try-it"]');
    const variables = JSON.parse(await page.inputValue('.try-it-variables'));
    expect(variables).to.include({ matterSlug: 'public-place-hygiene-permit', action: 'renew', applicantId: 'designer' });

    await page.click('button[data-action="try-start"]');
    const key = await page.locator('[data-instance-key]').getAttribute('data-instance-key', { timeout: 15_000 });
    const instance = (await server.request('GET', `/api/v1/process-instances/${key}`, { token: await server.login('designer') })).body;
    expect(instance.sandbox).to.equal(true);
    await page.waitForFunction(() => document.querySelectorAll('.djs-element.try-it-active').length > 0);
    // The sandbox instance runs on through every served job while the page polls: the marks catch up with it.
    const designer = await server.login('designer');
    let marked: (string | null)[] = [];
    let now: { activeElements: string[] } = { activeElements: [] };
    for (let attempt = 0; attempt < 40; attempt++) {
      marked = await page.$$eval('.djs-element.try-it-active', (es) => es.map((e) => e.getAttribute('data-element-id')));
      now = (await server.request('GET', `/api/v1/process-instances/${key}`, { token: designer })).body;
      if (now.activeElements.length && marked.length && marked.every((id) => now.activeElements.includes(id!))) break;
      await page.waitForTimeout(250);
    }
    expect(now.activeElements).to.not.be.empty;
    expect(marked.filter((id) => now.activeElements.includes(id!))).to.not.be.empty;
    await screenshot(page, '5-try-it');
  });

  it('tries a process that waits for a message, and sends it the message from the page', async () => {
    const { page } = modeler;
    const id = 'try-it-waits-for-message';
    await deployAsDesigner(server, [{ name: 'waits-for-message.bpmn', content: fixture('waits-for-message.bpmn') }]);
    await page.reload();
    await page.waitForSelector('.djs-palette .approvals-template-entry');
    await openProcess(page, id);
    await page.click('.view-bpmn button[data-action="try-it"]');
    await page.fill('.try-it-variables', JSON.stringify({ caseRef: 'SANDBOX-0042' }));
    await page.click('button[data-action="try-start"]');
    await page.waitForSelector('.djs-element.try-it-active[data-element-id="Catch_CorrectionsSubmitted"]');
    const key = (await page.locator('[data-instance-key]').getAttribute('data-instance-key'))!;

    // The form offers the message the catch event waits for, with the key its subscription computes from the variables.
    const form = page.locator('form.try-it-message');
    await form.waitFor();
    expect(await form.locator('input[name="message-name"]').inputValue()).to.equal('corrections-submitted');
    expect(await form.locator('input[name="correlation-key"]').inputValue()).to.equal('SANDBOX-0042');
    await form.locator('textarea[name="message-variables"]').fill('{"corrected": true}');
    await screenshot(page, '5-try-it-message');
    await form.locator('button[data-action="try-message"]').click();

    await page.waitForSelector('.try-it-status [data-state="completed"]');
    expect(await page.textContent('.try-it-message-result')).to.contain(`实例 ${key} 已收到`);
    expect(await page.locator('.djs-element.try-it-active').count()).to.equal(0);
    expect(await form.isHidden()).to.equal(true);
    const instance = (await server.request('GET', `/api/v1/process-instances/${key}`, { token: await server.login('designer') })).body;
    expect(instance).to.deep.include({ state: 'completed', sandbox: true });
    expect(instance.variables).to.include({ caseRef: 'SANDBOX-0042', corrected: true });
  });

  it('compares two versions: what changed is listed and marked on both canvases', async () => {
    const { page } = modeler;
    // The repository's renew.bpmn as deployed at start, and a designer's version of it.
    const renew = fs.readFileSync(path.resolve('processes/public-place-hygiene-permit/renew.bpmn'), 'utf8');
    const changed = renew
      .replace('name="审查、决定与发证"', 'name="审查、决定与自动发证"')
      .replace('<zeebe:input source="=false" target="autoApproval" />', '<zeebe:input source="=true" target="autoApproval" />');
    expect(changed).to.not.equal(renew);
    const before = (await latestVersion(server, 'processes', RENEW))!;
    expect(await deployAsDesigner(server, [{ name: 'renew.bpmn', content: changed }])).to.deep.equal({ [RENEW]: before + 1 });
    await page.reload();
    await page.waitForSelector('.djs-palette .approvals-template-entry');
    await openProcess(page, RENEW);

    await page.click('.view-bpmn button[data-action="diff"]');
    const change = page.locator('.diff-list li[data-element-id="Call_ReviewDecideIssue"]');
    await change.waitFor();
    expect(await change.getAttribute('data-kind')).to.equal('changed');
    expect(await change.textContent())
      .to.contain('名称：审查、决定与发证 → 审查、决定与自动发证')
      .and.contain('删去 zeebe:Input source==false target=autoApproval')
      .and.contain('加上 zeebe:Input source==true target=autoApproval');
    expect(await page.locator('.diff-canvas .djs-element.diff-changed[data-element-id="Call_ReviewDecideIssue"]').count()).to.equal(2);
    await screenshot(page, '6-version-diff');
  });
});
