import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * Debian's Chromium, driven by playwright-core (never `playwright install`). Without it the
 * browser suite skips with a message on a laptop, and fails in CI (CI=true).
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function chromiumIsAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CI) {
    throw new Error(
      `Chromium is required in CI but is missing at ${CHROMIUM_PATH} (apt-get install -y chromium)`,
    );
  }
  console.warn(
    `[skip] no Chromium at ${CHROMIUM_PATH}: the browser tests are skipped (apt-get install -y chromium)`,
  );
  return false;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export const DESKTOP = { width: 1366, height: 850 };
export const PHONE = { width: 390, height: 844 };
/** The narrowest width the layout must hold without scrolling sideways (checked, not saved). */
export const NARROWEST = { width: 360, height: 740 };

/** The git-ignored folder (`.test-output/` at the root) the screenshots go to. */
export const SCREENSHOT_DIR = resolve(
  process.env.SCREENSHOT_DIR ?? join(process.cwd(), '.test-output', 'screenshots'),
);

/**
 * What axe-core (every rule it runs by default: WCAG 2.x A and AA, and best practices such as
 * heading order and one h1 per page) finds wrong with the page as it is now, one line per rule:
 * `rule-id: help — the first elements concerned`. Empty when the page passes.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.map((v) => {
    const targets = v.nodes
      .slice(0, 3)
      .map((n) => n.target.join(' '))
      .join(', ');
    return `${v.id}: ${v.help} — ${targets}${v.nodes.length > 3 ? ', …' : ''}`;
  });
}

/**
 * Saves each page a test visits twice, full length: at 1366×850 and at 390×844 (the same page
 * in the same state, the viewport resized in between), and checks it at both widths with
 * axe-core. Files are numbered in visiting order. A suite asserts at its end that `overflows`
 * and `accessibility` are empty, so every state it captures is checked.
 */
export class Screenshots {
  private count = 0;
  readonly files: string[] = [];
  /** Pages wider than the window at some width: a layout break. */
  readonly overflows: string[] = [];
  /** axe-core's findings, per page state and width (see `axeViolations`). */
  readonly accessibility: string[] = [];

  constructor(readonly dir = SCREENSHOT_DIR) {}

  async prepare(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
  }

  async capture(page: Page, name: string): Promise<void> {
    this.count += 1;
    const base = `${String(this.count).padStart(2, '0')}-${name.replace(/[^\w-]+/g, '-')}`;
    const original = page.viewportSize() ?? DESKTOP;
    // From the top: a full-page shot of a scrolled page draws the sticky header mid-page.
    await page.evaluate('window.scrollTo(0, 0)');
    for (const [label, size] of [
      ['desktop', DESKTOP],
      ['390px', PHONE],
    ] as const) {
      await page.setViewportSize(size);
      const file = join(this.dir, `${base}-${label}.png`);
      await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
      this.files.push(file);
      await this.checkWidth(page, `${base} at ${size.width}px`);
      for (const found of await axeViolations(page)) {
        this.accessibility.push(`${base} at ${size.width}px: ${found}`);
      }
    }
    await page.setViewportSize(NARROWEST);
    await this.checkWidth(page, `${base} at ${NARROWEST.width}px`);
    await page.setViewportSize(original);
  }

  private async checkWidth(page: Page, where: string): Promise<void> {
    // A string, run in the page: these tests compile without the DOM's types.
    const { scroll, client } = (await page.evaluate(
      '({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })',
    )) as { scroll: number; client: number };
    if (scroll > client) this.overflows.push(`${where}: ${scroll}px wide`);
  }
}
