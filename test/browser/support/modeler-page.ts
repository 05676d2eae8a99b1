import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';

export const ARTIFACTS = path.resolve('test-artifacts', 'modeler');

/** A page of the modeler that records what went wrong in it (uncaught errors, console errors). */
export interface ModelerPage {
  page: Page;
  problems: string[];
  close(): Promise<void>;
}

export async function openModeler(browser: Browser, baseUrl: string): Promise<ModelerPage> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  await page.goto(`${baseUrl}/modeler/`);
  return { page, problems, close: () => context.close() };
}

export async function signIn(page: Page, username: string): Promise<void> {
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', 'demo');
  await page.click('form.sign-in button[type=submit]');
  await page.waitForSelector('.djs-palette .approvals-template-entry');
}

export async function openProcess(page: Page, id: string, version?: number): Promise<void> {
  await page.selectOption('#process-select', id);
  if (version) await page.selectOption('#version-select', String(version));
  await page.waitForFunction(
    ([id, version]) => {
      const status = document.querySelector<HTMLElement>('.document-status');
      return status?.textContent?.startsWith(String(id)) && (!version || status.dataset.version === String(version));
    },
    [id, version ?? 0] as const,
  );
}

/** The version the status line says the canvas shows ('' for a file not deployed). */
export function shownVersion(page: Page): Promise<string | undefined> {
  return page.getAttribute('.document-status', 'data-version').then((v) => v ?? undefined);
}

/** Takes a palette entry ("OCR 识别") and drops it on the middle of a sequence flow, which splits the flow. */
export async function dropOnFlow(page: Page, paletteLabel: string, flowId: string): Promise<void> {
  const box = await page.locator(`.djs-element[data-element-id="${flowId}"]`).boundingBox();
  if (!box) throw new Error(`flow ${flowId} is not on the canvas`);
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.click(`.djs-palette .entry[aria-label="${paletteLabel}"]`);
  await page.mouse.move(x - 10, y);
  await page.mouse.move(x, y);
  await page.mouse.click(x, y);
}

/** Draws a task at (x, y) of the page, names it, and changes it to a service task (no job type yet). */
export async function drawServiceTask(page: Page, x: number, y: number, name: string): Promise<string> {
  await page.click('.djs-palette .entry[data-action="create.task"]');
  await page.mouse.move(x - 10, y);
  await page.mouse.move(x, y);
  await page.mouse.click(x, y);
  await page.keyboard.type(name);
  await page.keyboard.press('Enter');
  await page.click('.djs-context-pad .entry[data-action="replace"]');
  await page.click('.djs-popup .entry[data-id="replace-with-service-task"]');
  const id = await page.locator('.djs-element.selected').first().getAttribute('data-element-id');
  if (!id) throw new Error('the drawn task is not selected');
  return id;
}

/** Waits until the notice says something of `kind` and returns its text. */
export async function noticeOf(page: Page, kind: 'success' | 'error' | 'info'): Promise<string> {
  await page.waitForSelector(`#notice[data-kind="${kind}"]:not([hidden])`);
  return (await page.textContent('#notice')) ?? '';
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

/** Hides the notice, so that the next one waited for is new. */
export async function clearNotice(page: Page): Promise<void> {
  await page.evaluate(() => {
    const notice = document.getElementById('notice');
    if (notice) notice.hidden = true;
  });
}

/** Clicks 下载 and returns the file the modeler offers. */
export async function downloadDiagram(page: Page): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click('.view-bpmn button[data-action="download"]')]);
  const stream = await file.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
