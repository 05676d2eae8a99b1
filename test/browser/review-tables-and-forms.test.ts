import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import type { TestServer } from '../support/server';
import { launchChromium, skipWithoutChromium } from './support/chromium';
import { clearNotice, noticeOf, openModeler, screenshot, signIn, type ModelerPage } from './support/modeler-page';
import { latestVersion, startModelerServer } from './support/modeler-server';

/** Fills the modeler's small "new …" dialog and confirms it. */
async function answer(page: Page, values: Record<string, string>): Promise<void> {
  for (const [name, value] of Object.entries(values)) await page.fill(`.ask-dialog input[name="${name}"]`, value);
  await page.click('.ask-dialog button[type=submit]');
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
    const decision = 'public-place-hygiene-permit-review';
    await page.click('.tabs button[data-tab="dmn"]');
    await page.click('.view-dmn button[data-action="new"]');
    await answer(page, { slug: 'public-place-hygiene-permit', name: '公共场所卫生许可' });
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
});
