import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium; playwright-core never downloads a browser of its own here. */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

let warned = false;

/**
 * Skips the calling suite, saying so loudly, when Chromium is not installed: a machine without it does not fail the
 * run, but nobody mistakes the skip for a pass.
 */
export function skipWithoutChromium(context: Mocha.Context): void {
  if (fs.existsSync(CHROMIUM)) return;
  if (!warned) {
    warned = true;
    const bar = '!'.repeat(96);
    process.stdout.write(
      `\n${bar}\n!!  BROWSER TESTS SKIPPED: ${CHROMIUM} is missing.\n` +
        `!!  Install Debian's Chromium (apt-get install -y chromium) or set CHROMIUM_PATH to run them.\n${bar}\n\n`,
    );
  }
  context.skip();
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}
