import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import type { TestServer } from '../support/server';
import { eventually } from '../support/engine';
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
    // 409: the claim someone else won; 422: a person at the counter for a matter of enterprises; both provoked below.
    worklist = await openStaffPage(browser, `${server.url}/worklist/`, [409, 422]);
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

  it('finds the case by name, credit code and number, masked, and opens it at its open task; should NOT find another department’s case', async () => {
    const { form } = await cases.view(flawed.token, flawed.id);
    for (const q of ['通达', form.uscc.value, flawed.caseNumber]) {
      await page.fill('#case-search', q);
      await page.press('#case-search', 'Enter');
      await page.waitForSelector(`.case-hit[data-application-id="${flawed.id}"]`);
      const hit = (await page.textContent(`.case-hit[data-application-id="${flawed.id}"]`)) ?? '';
      expect(hit, q).to.contain(flawed.caseNumber).and.to.contain('*').and.not.to.contain(form.unitName.value);
    }
    const task = await cases.task('clerk.health', flawed.id);
    await page.click(`.case-hit[data-application-id="${flawed.id}"]`);
    await page.waitForSelector(`.detail-header[data-application-id="${flawed.id}"][data-task-id="${task.id}"]`);
    await page.waitForSelector('.application-form .fjs-form');
    expect(await page.textContent('.detail-header .task-name')).to.equal('受理审查');
    expect(await page.locator('.decision-panel button[data-action="claim"]').count(), 'the task to claim and decide').to.equal(1);
    expect(await page.getAttribute(row(flawed.id), 'aria-selected')).to.equal('true');
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
  it('suspends a case under review with its reason, finds it by its number and in the 已中止 tab, resumes it; the chief approves a 延期', async () => {
    await page.uncheck('#task-overdue');
    const held = await cases.flawedHygienePermit();
    await cases.complete('clerk.health', held.id, { decision: 'accept', comment: '材料齐全，予以受理' });
    await openAndClaim(held.id, '窗口审查');
    await page.click('details.time-limits summary');
    await page.click('.time-limits button[data-action="suspend"]');
    expect(await page.textContent('.time-limits .form-problem')).to.contain('须写明原因');
    const reason = '等待卫生监督所现场核查';
    await page.fill('#suspension-reason', reason);
    await screenshot(page, '10-suspend');
    await clearNotice(page);
    await page.click('.time-limits button[data-action="suspend"]');
    expect(await noticeOf(page, 'success')).to.contain('已中止办理');
    await page.waitForSelector(`.detail-header[data-application-id="${held.id}"]:not([data-task-id])`);
    expect(await page.textContent('.suspension-panel')).to.contain(reason);

    // The review is gone from the list while the case is suspended; the search still reaches it.
    await eventually(
      async () => {
        await refreshList();
        return page.locator(row(held.id)).count();
      },
      (n) => n === 0,
      30_000,
    );
    await page.fill('#case-search', held.caseNumber);
    await page.press('#case-search', 'Enter');
    await page.click(`.case-hit[data-application-id="${held.id}"]`);
    await page.waitForSelector(`.detail-header[data-application-id="${held.id}"]:not([data-task-id])`);
    await page.waitForSelector('.suspension-panel');
    expect(await page.textContent('.suspension-panel'))
      .to.contain('已中止')
      .and.to.contain(reason);
    await screenshot(page, '11-suspended-case-found');

    // The 已中止 tab lists it, since when and why; it opens the case with its 恢复办理.
    await page.click('.side-tab[data-tab="suspended"]');
    await page.waitForSelector('.task-list', { state: 'hidden' });
    const listed = page.locator(`.suspended-case[data-application-id="${held.id}"]`);
    await listed.waitFor();
    expect(await listed.textContent())
      .to.contain(held.caseNumber)
      .and.to.contain(reason);
    await listed.click();
    await page.waitForSelector(`.detail-header[data-application-id="${held.id}"]:not([data-task-id])`);
    await page.waitForSelector('.suspension-panel button[data-action="resume"]');
    await screenshot(page, '11b-suspended-tab');

    await page.fill('#resumption-comment', '现场核查已完成');
    await clearNotice(page);
    await page.click('.suspension-panel button[data-action="resume"]');
    expect(await noticeOf(page, 'success')).to.contain('已恢复办理');
    await page.waitForSelector(`.detail-header[data-application-id="${held.id}"][data-task-id] .task-name:text-is("窗口审查")`, {
      timeout: 30_000,
    });
    const messages: string[] = (await cases.view(held.token, held.id)).timeline.map((e: { message: string }) => e.message);
    expect(messages).to.include(`中止办理：${reason}`).and.to.include('恢复办理：现场核查已完成');
    await page.waitForSelector(`.suspended-case[data-application-id="${held.id}"]`, { state: 'detached' });
    await page.click('.side-tab[data-tab="tasks"]');
    await page.waitForSelector(`${row(held.id)}[aria-selected="true"]`);
    const reopened = await cases.task('clerk.health', held.id);

    // 延期: asked for from the page, approved by the chief through their task; the due date moves on by the days.
    await page.click('.decision-panel button[data-action="claim"]');
    await page.waitForSelector('.task-state[data-assignee="clerk.health"]');
    await page.click('details.time-limits summary');
    await page.fill('#extension-days', '5');
    await page.fill('#extension-reason', '需组织专家评审');
    await clearNotice(page);
    await page.click('.time-limits button[data-action="request-extension"]');
    expect(await noticeOf(page, 'success')).to.contain('已申请延期 5 个工作日');
    await page.waitForSelector('.task-panel .placeholder');
    const chiefTask = await cases.task('chief.health', held.id);
    expect(chiefTask.formId).to.equal('common-chief-extension');
    await cases.complete('chief.health', held.id, { decision: 'approve', comment: '同意延期' });
    const extended = await eventually(
      () => cases.task('clerk.health', held.id),
      (t) => t.id !== reopened.id && t.elementId === reopened.elementId,
      30_000,
    );
    expect(Date.parse(extended.dueDate)).to.be.greaterThan(Date.parse(reopened.dueDate));
    await refreshList();
    await page.waitForSelector(row(held.id));
    await screenshot(page, '12-resumed-and-extended');
  });

  it('takes in an application at the counter: finds the enterprise by its code, asks the questions, creates it, fills it and submits it', async () => {
    await page.click('.topbar button[data-action="counter"]');
    await page.waitForSelector('.counter-intake #counter-holder');
    const enterprise = '91110000600037341L';

    // A person is found by resident ID number; this matter is for enterprises, which the page says in Chinese.
    await page.fill('#counter-holder', '360426199101010071');
    await page.selectOption('#counter-matter', HYGIENE);
    await page.selectOption('#counter-action', 'cancel');
    await page.check('.counter-question[data-question="cancelReason"] input[value="stopped"]');
    await page.check('.counter-question[data-question="agent"] input[value="self"]');
    await page.waitForSelector('.counter-intake button[data-action="counter-create"]:not([disabled])');
    await page.click('.counter-intake button[data-action="counter-create"]');
    await page.waitForSelector('.counter-step .form-problem:has-text("办理对象")');

    await page.fill('#counter-holder', enterprise);
    await clearNotice(page);
    await page.click('.counter-intake button[data-action="counter-create"]');
    expect(await noticeOf(page, 'success')).to.contain('已为申请人创建');
    const id = (await page.getAttribute('.counter-draft', 'data-application-id'))!;
    expect(await page.textContent('.counter-draft .counter-holder-code')).to.equal(enterprise);
    expect(await page.inputValue('#counter-field-uscc')).to.equal(enterprise);
    expect(await page.locator('.counter-field.locked[data-field="uscc"]').count(), 'the registry’s code is fixed').to.equal(1);
    await page.click('.counter-intake button[data-action="counter-submit"]');
    expect(await page.textContent('.counter-intake > .form-problem')).to.contain('停止经营日期');
    await page.fill('#counter-field-stopDate', '2026-11-20');
    await page.fill('#counter-field-contactName', '陈晓东');
    await page.fill('#counter-field-contactPhone', '13912345678');
    await screenshot(page, '13-counter-draft', true);
    await clearNotice(page);
    await page.click('.counter-intake button[data-action="counter-submit"]');
    expect(await noticeOf(page, 'success')).to.contain('已代为提交');
    await page.waitForSelector(`.detail-header[data-application-id="${id}"]`);
    await screenshot(page, '14-counter-submitted');

    const clerk = await server.login('clerk.health');
    const submitted = await cases.until(clerk, id, (v) => v.status !== 'draft' && v.caseNumber);
    expect(submitted).to.include({ channel: 'counter', matter: HYGIENE, action: 'cancel' });
    expect(submitted.form.stopDate.value).to.equal('2026-11-20');
    expect(submitted.form.contactName.value).to.equal('陈晓东');
    await server.running.platform.audit.flush();
    const made = await server.running.platform.db
      .knex('audit_log')
      .where({ action: 'application.created-at-counter', entity_id: id })
      .first('actor', 'data');
    expect(made.actor).to.equal('clerk.health');
    expect(made.data).to.include({ holder: enterprise });
  });

  it('shows the true total and brings the next page with 加载更多 when there are more tasks than one page', async () => {
    await cases.seedHealthReviews(60, new Date(server.clock.now().getTime() + 365 * DAY));
    const clerk = await server.login('clerk.health');
    const first = await server.request('GET', '/api/v1/tasks', { token: clerk });
    const total = Number(first.headers.get('x-total-count'));
    expect(total, 'X-Total-Count').to.be.at.least(60);
    expect(first.body).to.have.length(50);
    expect(first.headers.get('x-next-cursor')).to.be.a('string');

    await refreshList();
    expect(await page.locator('tr.task').count()).to.equal(50);
    expect(await page.textContent('.task-count')).to.equal(`共 ${total} 件，已显示 50 件`);
    expect(await page.isVisible('button[data-action="load-more"]')).to.equal(true);
    await screenshot(page, '15-first-page');
    await page.click('button[data-action="load-more"]');
    await page.waitForFunction((n) => document.querySelectorAll('tr.task').length === n, Math.min(total, 100));
    const ids = await page.$$eval('tr.task', (rows) => rows.map((r) => r.getAttribute('data-task-id')));
    expect(new Set(ids).size, 'each task once').to.equal(ids.length);
    expect(ids.slice(0, 50)).to.deep.equal(first.body.map((t: { id: string }) => t.id));
    if (total <= 100) {
      expect(await page.textContent('.task-count')).to.equal(`共 ${total} 件`);
      expect(await page.isVisible('button[data-action="load-more"]')).to.equal(false);
    }
    await page.locator('tr.task').last().scrollIntoViewIfNeeded();
    await screenshot(page, '16-next-page');
  });
});
