import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import type { TestServer } from '../support/server';
import { Cases, HYGIENE } from './support/cases';
import { launchChromium, skipWithoutChromium } from './support/chromium';
import { startModelerServer } from './support/modeler-server';
import { openStaffPage, screenshotter, signInAs, type StaffPage } from './support/staff-page';

const screenshot = screenshotter('dashboard');

/** Each figure the table shows, as `GET /api/v1/metrics` gives it per matter. */
const FIGURES: Record<string, (m: any) => number | null> = {
  applications: (m) => m.applications,
  decided: (m) => m.decided,
  autoApproved: (m) => m.autoApproved,
  autoApprovalRate: (m) => m.autoApprovalRate,
  prefillRatio: (m) => m.prefillRatio,
  exemptionRatio: (m) => m.exemptionRatio,
  p50: (m) => m.submitToDecisionHours.p50,
  p90: (m) => m.submitToDecisionHours.p90,
  returns: (m) => m.returns,
  deadlineBreaches: (m) => m.deadlineBreaches,
};

/** Issue 7's administrator: the figures of a period per matter, drawn as charts, the same numbers as the API's. */
describe('browser: the administrator’s dashboard', function () {
  this.timeout(240_000);
  let server: TestServer;
  let browser: Browser;
  let cases: Cases;
  let dashboard: StaffPage;
  let page: Page;

  before(async function () {
    skipWithoutChromium(this);
    server = await startModelerServer();
    cases = new Cases(server);
    const [hygiene] = await Promise.all([cases.flawedHygienePermit(), cases.flawedTransportCase()]);
    await cases.complete('clerk.health', hygiene.id, { decision: 'accept' });
    await cases.complete('clerk.health', hygiene.id, { decision: 'approve', comment: '准予许可' });
    await cases.until(hygiene.token, hygiene.id, (v) => v.status === 'approved');
    browser = await launchChromium();
    dashboard = await openStaffPage(browser, `${server.url}/dashboard/`);
    page = dashboard.page;
  });

  after(async () => {
    const problems = dashboard?.problems ?? [];
    await dashboard?.close();
    await browser?.close();
    await server?.close();
    expect(problems, 'errors in the page').to.deep.equal([]);
  });

  const metrics = async (query = '') =>
    (await server.request('GET', `/api/v1/metrics${query}`, { token: await server.login('admin') })).body as {
      from: string;
      to: string;
      matters: any[];
    };

  /** The table as the page shows it: per matter, each figure's value. */
  const shownFigures = () =>
    page.$$eval('#figures-table tbody tr', (rows) =>
      rows.map((row) => ({
        matter: row.getAttribute('data-matter'),
        values: Object.fromEntries(
          Array.from(row.querySelectorAll('td'), (cell) => [cell.getAttribute('data-figure'), cell.getAttribute('data-value')]),
        ),
        applicationsText: row.querySelector('td[data-figure="applications"]')?.textContent,
      })),
    );

  const expectSameFigures = async (figures: { matters: any[] }) => {
    const shown = await shownFigures();
    expect(shown.map((r) => r.matter)).to.deep.equal(figures.matters.map((m) => m.matter));
    for (const [i, matter] of figures.matters.entries()) {
      for (const [figure, value] of Object.entries(FIGURES)) {
        const expected = value(matter);
        expect(shown[i].values[figure], `${matter.matter} ${figure}`).to.equal(expected === null ? '' : String(expected));
      }
      expect(shown[i].applicationsText).to.equal(String(matter.applications));
    }
  };

  const periodShown = (from: string, to: string) => page.waitForSelector(`#app[data-from="${from}"][data-to="${to}"]`);

  it('should NOT show the figures to a clerk', async () => {
    await signInAs(page, 'clerk.health');
    await page.waitForSelector('.sign-in-error:has-text("没有查看运行看板的权限")');
  });

  it('signs the administrator in: four charts drawn, and every figure the one GET /metrics gives', async () => {
    await signInAs(page, 'admin');
    const figures = await metrics();
    await periodShown(figures.from, figures.to);
    expect(await page.inputValue('#period-from')).to.equal(figures.from);
    expect(await page.inputValue('#period-to')).to.equal(figures.to);
    const charts = await page.$$eval('figure.chart canvas', (canvases) =>
      (canvases as HTMLCanvasElement[]).map((canvas) => {
        const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
        return { id: canvas.id, width: canvas.width, painted };
      }),
    );
    expect(charts.map((c) => c.id)).to.deep.equal(['chart-volumes', 'chart-shares', 'chart-durations', 'chart-hours']);
    for (const chart of charts) {
      expect(chart.width, chart.id).to.be.greaterThan(100);
      expect(chart.painted, `${chart.id} is drawn`).to.be.greaterThan(1000);
    }
    const hygiene = figures.matters.find((m) => m.matter === HYGIENE);
    expect(hygiene).to.include({ applications: 1, decided: 1, autoApproved: 0 });
    expect(figures.matters.reduce((n, m) => n + m.applications, 0)).to.equal(2);
    await expectSameFigures(figures);
    const volumes = await page.$$eval('#chart-volumes tr[data-series="申请量"] td', (cells) => cells.map((c) => Number(c.textContent)));
    expect(volumes).to.deep.equal(figures.matters.map((m) => m.applications));
    const hours = await page.$$eval(`#chart-hours tr[data-series="${hygiene.matterName}"] td`, (cells) =>
      cells.map((c) => Number(c.textContent)),
    );
    expect(hours).to.deep.equal(hygiene.busiestHours);
    await screenshot(page, '1-figures', true);
  });

  it('shows a period picked, one matter chosen, and a new case once refreshed', async () => {
    await page.fill('#period-from', '2020-01-01');
    await page.fill('#period-to', '2020-01-31');
    await page.click('#refresh');
    await periodShown('2020-01-01', '2020-01-31');
    const empty = await metrics('?from=2020-01-01&to=2020-01-31');
    expect(empty.matters.every((m) => m.applications === 0)).to.equal(true);
    await expectSameFigures(empty);
    await screenshot(page, '2-empty-period');

    const before = await metrics();
    await page.click('button[data-span="30d"]');
    await periodShown(before.from, before.to);
    await expectSameFigures(before);

    await cases.flawedHygienePermit();
    await page.click('#refresh');
    await page.waitForFunction(
      (matter) => document.querySelector(`#figures-table tr[data-matter="${matter}"] td[data-figure="applications"]`)?.textContent === '2',
      HYGIENE,
    );
    const after = await metrics();
    await expectSameFigures(after);

    await page.selectOption('#matter-select', HYGIENE);
    expect((await shownFigures()).map((r) => r.matter)).to.deep.equal([HYGIENE]);
    const labels = await page.$$eval('#chart-volumes tr:first-child th', (cells) => cells.map((c) => c.textContent).filter(Boolean));
    expect(labels).to.deep.equal([after.matters.find((m) => m.matter === HYGIENE).matterName]);
    await screenshot(page, '3-one-matter', true);
  });
});
