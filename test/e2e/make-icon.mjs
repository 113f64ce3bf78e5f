// Renders docs/icon.svg to docs/icon.png (128x128, transparent corners) with Debian's chromium.
// Usage: node test/e2e/make-icon.mjs   (CHROMIUM overrides /usr/bin/chromium)
import { chromium } from 'playwright-core';
import { readFile } from 'node:fs/promises';
import { fileURLToPath, URL } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const svg = await readFile(`${root}docs/icon.svg`, 'utf8');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await page.locator('svg').screenshot({ path: `${root}docs/icon.png`, omitBackground: true });
  console.log('wrote docs/icon.png');
} finally {
  await browser.close();
}
