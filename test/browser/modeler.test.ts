import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { Checker } from '../../server/deployments/checker';
import { approvalsLintRules } from '../../server/deployments/rules';
import type { TestServer } from '../support/server';
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

describe('browser: the process modeler', function () {
  this.timeout(120_000);
  let server: TestServer;
  let browser: Browser;
  let modeler: ModelerPage;

  before(async function () {
    skipWithoutChromium(this);
    server = await startModelerServer();
    await deployAsDesigner(server, [{ name: 'change.bpmn', content: fixture('hygiene-permit-change.bpmn') }]);
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

  it('opens the change process, adds an OCR task from its template, deploys, and sees the version go up', async () => {
    const { page } = modeler;
    const before = (await latestVersion(server, 'processes', CHANGE))!;
    await openProcess(page, CHANGE);
    expect(await shownVersion(page)).to.equal(String(before));

    await dropOnFlow(page, 'OCR 识别', 'Flow_ToReview');
    const task = page.locator('.djs-element.selected');
    expect(await task.textContent()).to.contain('OCR 识别');
    expect(await page.textContent('.bio-properties-panel-header')).to.contain('OCR 识别');
    await screenshot(page, '1-ocr-from-template');

    await clearNotice(page);
    await page.click('.view-bpmn button[data-action="deploy"]');
    expect(await noticeOf(page, 'success')).to.contain(`版本 ${before + 1}`);
    expect(await shownVersion(page)).to.equal(String(before + 1));
    expect(await page.inputValue('#version-select')).to.equal(String(before + 1));
    await screenshot(page, '2-deployed-new-version');

    expect(await latestVersion(server, 'processes', CHANGE)).to.equal(before + 1);
    const xml = (await server.request('GET', `/api/v1/processes/${CHANGE}/xml`, { token: await server.login('designer') })).text;
    expect(xml).to.match(/zeebe:modelerTemplate="approvals\.ocr"/);
    expect(xml).to.match(/<zeebe:taskDefinition type="ocr"/);
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
    await openProcess(page, CHANGE);
    await page.click('.view-bpmn button[data-action="try-it"]');
    const variables = JSON.parse(await page.inputValue('.try-it-variables'));
    expect(variables).to.include({ matterSlug: 'public-place-hygiene-permit', action: 'change', applicantId: 'designer' });

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

  it('compares two versions: what changed is listed and marked on both canvases', async () => {
    const { page } = modeler;
    const id = 'public-place-hygiene-permit-renew';
    const first = fixture('hygiene-permit-change.bpmn').replaceAll(CHANGE, id).replace('公共场所卫生许可 变更', '公共场所卫生许可 延续');
    const second = first
      .replace('name="窗口审查"', 'name="窗口初审"')
      .replace('candidateGroups="health"', 'candidateGroups="health-chief"');
    await deployAsDesigner(server, [{ name: 'renew.bpmn', content: first }]);
    await deployAsDesigner(server, [{ name: 'renew.bpmn', content: second }]);
    await page.reload();
    await page.waitForSelector('.djs-palette .approvals-template-entry');
    await openProcess(page, id);

    await page.click('.view-bpmn button[data-action="diff"]');
    const change = page.locator('.diff-list li[data-element-id="Task_ClerkReview"]');
    await change.waitFor();
    expect(await change.getAttribute('data-kind')).to.equal('changed');
    expect(await change.textContent())
      .to.contain('名称：窗口审查 → 窗口初审')
      .and.contain('candidateGroups=health-chief');
    expect(await page.locator('.diff-canvas .djs-element.diff-changed[data-element-id="Task_ClerkReview"]').count()).to.equal(2);
    await screenshot(page, '6-version-diff');
  });
});
