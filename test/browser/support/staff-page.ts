import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';

/** A page of one of the staff apps (worklist, dashboard) that records what went wrong in it. */
export interface StaffPage {
  page: Page;
  problems: string[];
  close(): Promise<void>;
}

/** `expectedStatuses`: refusals the test itself provokes (Chromium logs each failed call as a console error). */
export async function openStaffPage(browser: Browser, url: string, expectedStatuses: number[] = []): Promise<StaffPage> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const status = /Failed to load resource: the server responded with a status of (\d{3})/.exec(message.text())?.[1];
    if (!status || !expectedStatuses.includes(Number(status))) problems.push(`console error: ${message.text()}`);
  });
  await page.goto(url);
  return { page, problems, close: () => context.close() };
}

export async function signInAs(page: Page, username: string): Promise<void> {
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', 'demo');
  await page.click('form.sign-in button[type=submit]');
}

/** Waits until the status line says something of `kind` and returns its text. */
export async function noticeOf(page: Page, kind: 'success' | 'error' | 'info'): Promise<string> {
  await page.waitForSelector(`#notice[data-kind="${kind}"]:not([hidden])`);
  return (await page.textContent('#notice')) ?? '';
}

export async function clearNotice(page: Page): Promise<void> {
  await page.evaluate(() => {
    const notice = document.getElementById('notice');
    if (notice) notice.hidden = true;
  });
}

export function screenshotter(folder: string): (page: Page, name: string, fullPage?: boolean) => Promise<string> {
  const dir = path.resolve('test-artifacts', folder);
  return async (page, name, fullPage = false) => {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${name}.png`);
    await page.screenshot({ path: file, fullPage });
    return file;
  };
}
