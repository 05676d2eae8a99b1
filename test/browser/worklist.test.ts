import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import type { TestServer } from '../support/server';
import { Cases, DANGEROUS_GOODS, HYGIENE } from './support/cases';
import { launchChromium, skipWithoutChromium } from './support/chromium';
import { startModelerServer } from './support/modeler-server';
import { clearNotice, noticeOf, openStaffPage, screenshotter, signInAs, type StaffPage } from './support/staff-page';

const screenshot = screenshotter('worklist');
const DAY = 86_400_000;

/**
 * Issue 7's clerk: a flagged hygiene-permit case opened as its form with the OCR disagreement marked, returned with the
 * corrections builder, corrected by the applicant through the API, back in the list, approved, the licence issued.
 */
describe('browser: the clerk’s worklist', function () {
  this.timeout(240_000);
  let server: TestServer;
  let browser: Browser;
  let cases: Cases;
  let worklist: StaffPage;
  let page: Page;
  let flawed: Awaited<ReturnType<Cases['flawedHygienePermit']>>;
  let transport: { id: string; caseNumber: string };

  before(async function () {
    skipWithoutChromium(this);
    server = await startModelerServer();
    cases = new Cases(server);
    [flawed, transport] = await Promise.all([cases.flawedHygienePermit(), cases.flawedTransportCase()]);
    browser = await launchChromium();
    // 409: the claim someone else won, provoked below.
    worklist = await openStaffPage(browser, `${server.url}/worklist/`, [409]);
    page = worklist.page;
  });

  after(async () => {
    const problems = worklist?.problems ?? [];
    await worklist?.close();
    await browser?.close();
    await server?.close();
    expect(problems, 'errors in the page').to.deep.equal([]);
  });

  const row = (applicationId: string) => `tr.task[data-application-id="${applicationId}"]`;
  const refreshList = async () => {
    await page.click('.task-list button[data-action="refresh"]');
    await page.waitForSelector('.task-list:not([aria-busy])');
  };

  it('should NOT let an applicant in', async () => {
    await signInAs(page, 'enterprise2');
    await page.waitForSelector('.sign-in-error:has-text("不是窗口工作人员")');
  });

  it('signs the health clerk in: the department’s tasks, the flagged case marked, and no transport task', async () => {
    const transportTask = await cases.task('clerk.transport', transport.id);
    expect(transportTask.application.matter).to.equal(DANGEROUS_GOODS);
    await signInAs(page, 'clerk.health');
    await page.waitForSelector(row(flawed.id));
    expect(await page.textContent('.topbar .user')).to.contain('clerk.health');
    expect(await page.locator(row(transport.id)).count()).to.equal(0);
    expect(await page.locator(`tr.task[data-matter="${DANGEROUS_GOODS}"]`).count()).to.equal(0);
    const line = page.locator(row(flawed.id));
    expect(await line.locator('.case-number').textContent()).to.equal(flawed.caseNumber);
    expect(await line.textContent()).to.contain('1 项未通过');
    expect(await line.getAttribute('data-due')).to.equal('ok');
    const options = await page.$$eval('#task-matter option', (os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(options).to.deep.equal(['', HYGIENE]);
    await screenshot(page, '1-task-list');
  });

  it('finds the case by name, credit code and number, masked, and opens it to read; should NOT find another department’s case', async () => {
    const { form } = await cases.view(flawed.token, flawed.id);
    for (const q of ['通达', form.uscc.value, flawed.caseNumber]) {
      await page.fill('#case-search', q);
      await page.press('#case-search', 'Enter');
      await page.waitForSelector(`.case-hit[data-application-id="${flawed.id}"]`);
      const hit = (await page.textContent(`.case-hit[data-application-id="${flawed.id}"]`)) ?? '';
      expect(hit, q).to.contain(flawed.caseNumber).and.to.contain('*').and.not.to.contain(form.unitName.value);
    }
    await page.click(`.case-hit[data-application-id="${flawed.id}"]`);
    await page.waitForSelector(`.detail-header[data-application-id="${flawed.id}"]:not([data-task-id])`);
    await page.waitForSelector('.application-form .fjs-form');
    expect(await page.textContent('.task-panel')).to.contain('仅供查看');
    expect(await page.locator('.decision-panel').count(), 'no task to act on').to.equal(0);
    await page.fill('#case-search', transport.caseNumber);
    await page.press('#case-search', 'Enter');
    await page.waitForSelector('.case-results li.empty');
    expect(await page.textContent('.case-results')).to.contain('没有找到');
  });

  it('opens the case as its form, with the OCR disagreement highlighted, the findings, the materials and the timeline', async () => {
    await page.click(row(flawed.id));
    await page.waitForSelector('.detail-header[data-task-id] .case-number');
    await page.waitForSelector('.application-form .fjs-form');
    const representative = flawed.representative.name;
    const marked = page.locator('.fjs-form-field.ocr-disagrees');
    expect(await marked.count()).to.equal(1);
    expect(await marked.getAttribute('data-ocr-field')).to.equal('legalRepresentative');
    expect(await marked.locator('input').inputValue()).to.equal(representative);
    expect(await marked.locator('input').isEditable(), 'the form is read-only').to.equal(false);
    expect(await marked.textContent()).to.contain('王建国');
    expect(await page.inputValue('.application-form input[id$="-Field_premisesName"]')).to.equal('丽人美发');

    const disagreement = page.locator('table.ocr-comparison tr.disagrees');
    expect(await disagreement.count()).to.equal(1);
    expect(await disagreement.getAttribute('data-field')).to.equal('legalRepresentative');
    expect(await disagreement.locator('td.form-value').textContent()).to.equal(representative);
    expect(await disagreement.locator('td.ocr-value').textContent()).to.equal('王建国');
    expect(await page.locator('table.ocr-comparison tr.agrees').count(), 'the ID number read agrees').to.be.at.least(1);

    const guide = (await server.request('GET', `/api/v1/matters/${HYGIENE}`)).body;
    const point = guide.reviewPoints.find((p: { id: string }) => p.id === 'HP-R12');
    const finding = page.locator('.finding[data-point="HP-R12"]');
    expect(await finding.locator('.point-text').textContent()).to.equal(point.text);
    expect(await finding.locator('.point-hint').textContent()).to.contain(point.hint);
    expect(await finding.locator('.finding-message').textContent()).to.contain('王建国');

    await page.waitForFunction(() => {
      const image = document.querySelector<HTMLImageElement>('[data-material="HP-03"] img.material-image');
      return Boolean(image?.complete && image.naturalWidth > 0);
    });
    expect(await page.getAttribute('[data-material="HP-03"] img.material-image', 'src')).to.match(/^blob:/);
    expect(await page.getAttribute('[data-material="HP-06"] iframe.material-pdf', 'src')).to.match(/^blob:/);
    expect(await page.textContent('[data-material="HP-03"] table.ocr-fields')).to.contain('王建国');
    expect(await page.textContent('[data-material="HP-02"]')).to.contain('无需提交');
    expect(await page.textContent('ol.timeline')).to.contain('人工审查');
    await screenshot(page, '2-flagged-case', true);
  });

  it('says in Chinese that someone else claimed it first, then lets the clerk claim it', async () => {
    const chief = await server.login('chief.health');
    const taskId = await page.getAttribute('.detail-header', 'data-task-id');
    expect((await server.request('POST', `/api/v1/tasks/${taskId}/claim`, { token: chief })).status).to.equal(200);
    await clearNotice(page);
    await page.click('.decision-panel button[data-action="claim"]');
    expect(await noticeOf(page, 'error'))
      .to.contain('认领失败')
      .and.to.contain('chief.health');
    await page.waitForSelector('.task-state[data-assignee="chief.health"]');
    expect(await page.locator('.decision-panel button[data-action="claim"]').isDisabled()).to.equal(false);
    await screenshot(page, '3-claimed-by-someone-else');
    expect((await server.request('POST', `/api/v1/tasks/${taskId}/unclaim`, { token: chief })).status).to.equal(200);
    await page.click(row(flawed.id));
    await page.waitForSelector('.task-state[data-assignee=""]');
    await clearNotice(page);
    await page.click('.decision-panel button[data-action="claim"]');
    expect(await noticeOf(page, 'success')).to.contain('已认领');
    await page.waitForSelector('.task-state[data-assignee="clerk.health"]');
  });

  it('returns it at acceptance for correction with the corrections builder, and the applicant is told what to correct', async () => {
    const reason = '上传的身份证与登记的法定代表人不符，请上传法定代表人本人的身份证';
    expect(await page.textContent('.detail-header .task-name')).to.equal('受理审查');
    await page.click('.decision-panel button[data-decision="return"]');
    await page.waitForSelector('.corrections-builder:not([hidden]) .correction-row');
    await page.click('.decision-panel button[data-action="submit-decision"]');
    expect(await page.textContent('.decision-panel .form-problem')).to.contain('没有选择');
    await page.selectOption('.correction-row .correction-target', 'material:HP-03');
    await page.fill('.correction-row .correction-reason', reason);
    await page.fill('#decision-comment', '身份证明与登记信息不符');
    await screenshot(page, '4-return-with-corrections');
    await clearNotice(page);
    await page.click('.decision-panel button[data-action="submit-decision"]');
    expect(await noticeOf(page, 'success')).to.contain('一次性告知');
    await page.waitForSelector('.task-panel .placeholder');
    await page.waitForSelector(row(flawed.id), { state: 'detached' });
    const returned = await cases.until(flawed.token, flawed.id, (v) => v.status === 'returned', 30_000);
    expect(returned.corrections).to.deep.equal([{ material: 'HP-03', reason }]);
  });

  /** Opens the application's open task from the list (refreshed until it is there) and claims it. */
  const openAndClaim = async (applicationId: string, taskName: string) => {
    await cases.task('clerk.health', applicationId);
    await refreshList();
    await page.click(row(applicationId));
    await page.waitForSelector(`.detail-header .task-name:text-is("${taskName}")`);
    await page.waitForSelector('.application-form .fjs-form');
    await page.click('.decision-panel button[data-action="claim"]');
    await page.waitForSelector('.task-state[data-assignee="clerk.health"]');
  };
  const decide = async (decision: string, comment: string) => {
    await page.click(`.decision-panel button[data-decision="${decision}"]`);
    await page.fill('#decision-comment', comment);
    await clearNotice(page);
    await page.click('.decision-panel button[data-action="submit-decision"]');
    return noticeOf(page, 'success');
  };

  it('the corrected case comes back to the list; the clerk accepts it, approves it, and the licence is issued', async () => {
    await cases.correctHygienePermit(flawed.token, flawed.id, flawed.representative);
    await openAndClaim(flawed.id, '受理审查');
    expect(await page.locator('table.ocr-comparison tr.disagrees').count()).to.equal(0);
    expect(await page.locator('.fjs-form-field.ocr-disagrees').count()).to.equal(0);
    expect(await page.textContent('.section-findings')).to.contain('全部通过');
    expect(await page.textContent('.section-corrections')).to.contain('HP-03');
    await screenshot(page, '5-corrected-case-back', true);
    expect(await decide('accept', '补正后材料齐全，予以受理')).to.contain('受理');

    await openAndClaim(flawed.id, '窗口审查');
    await page.click('.decision-panel button[data-decision="approve"]');
    await page.fill('#decision-comment', '经审查符合许可条件，准予许可');
    await screenshot(page, '6-approve');
    await clearNotice(page);
    await page.click('.decision-panel button[data-action="submit-decision"]');
    expect(await noticeOf(page, 'success')).to.contain('已提交');

    const decided = await cases.until(flawed.token, flawed.id, (v) => v.status === 'approved' && v.result !== null);
    const licence = await server.request('GET', `/api/v1/licenses/${decided.result.licenseId}`, { token: flawed.token });
    expect(licence.status, licence.text).to.equal(200);
    expect(licence.body).to.include({ status: 'valid', typeName: '公共场所卫生许可证', holderCode: decided.form.uscc.value });
    const statuses: string[] = decided.timeline.map((e: { status?: string }) => e.status).filter(Boolean);
    expect(statuses.indexOf('returned')).to.be.greaterThan(statuses.indexOf('manual_review'));
    expect(statuses.lastIndexOf('manual_review')).to.be.greaterThan(statuses.indexOf('returned'));
    expect(statuses.at(-1)).to.equal('approved');
    await page.selectOption('#task-state', 'done');
    await page.check('#task-mine');
    await page.waitForSelector(`${row(flawed.id)} >> text=办结于`);
    expect(await page.locator(row(flawed.id)).count(), 'its acceptance twice and its review').to.equal(3);
    await screenshot(page, '7-done-list');
  });

  it('colours a task amber near its due date and red past it; the overdue filter keeps only those', async () => {
    const second = await cases.flawedHygienePermit();
    const task = await cases.task('clerk.health', second.id);
    await page.uncheck('#task-mine');
    await page.selectOption('#task-state', 'open');
    await page.waitForSelector(row(second.id));
    const due = Date.parse(task.dueDate);
    const created = Date.parse(task.createdAt);
    const warnAt = task.warnAt ? Date.parse(task.warnAt) : created + (due - created) * 0.8;

    await page.clock.setFixedTime(new Date(warnAt + 60_000));
    await refreshList();
    expect(await page.getAttribute(row(second.id), 'data-due')).to.equal('warn');
    expect(await page.textContent(`${row(second.id)} td.due`)).to.contain('临近期限');
    await screenshot(page, '8-due-soon');

    // Days later the token has expired: sign out first, move both clocks past the due date, sign in again.
    await page.click('.topbar button[data-action="sign-out"]');
    await page.waitForSelector('form.sign-in');
    server.clock.advance(due - server.clock.now().getTime() + DAY);
    await page.clock.setFixedTime(new Date(due + DAY));
    await signInAs(page, 'clerk.health');
    await page.waitForSelector(row(second.id));
    await page.check('#task-overdue');
    await page.waitForSelector(`${row(second.id)}[data-due="overdue"]`);
    expect(await page.textContent(`${row(second.id)} td.due`)).to.contain('已超期');
    expect(await page.$$eval('tr.task', (rows) => rows.every((r) => r.getAttribute('data-due') === 'overdue'))).to.equal(true);
    const colour = await page.$eval(`${row(second.id)} td.due`, (cell) => getComputedStyle(cell).color);
    expect(colour).to.equal('rgb(198, 40, 40)');
    await screenshot(page, '9-overdue');
  });
});
