import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';

/**
 * Keyboard focus, measured the way a person sees it: each element Tab reaches is photographed
 * focused and then blurred, and the pixels that differ are the focus indicator. WCAG 2.4.7 and
 * 1.4.11 ask that indicator to contrast at least 3:1 with what is there without focus; we count
 * the pixels that do, and ask for at least as many as a 1 px line around the element would have.
 * Only the element's surroundings are compared (12 px around it, or around the list item it is
 * in: a ticket card is one link whose indicator is drawn around the whole card).
 */

/** sRGB channel (0–255) → linear light, as WCAG's relative luminance defines it. */
const LINEAR = Array.from({ length: 256 }, (_, c) => {
  const s = c / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
});

/** WCAG's relative luminance of an sRGB colour (channels 0–255). */
function luminance(r: number, g: number, b: number): number {
  return 0.2126 * LINEAR[r]! + 0.7152 * LINEAR[g]! + 0.0722 * LINEAR[b]!;
}

/** WCAG's contrast ratio of two luminances, from 1 to 21. */
function contrast(a: number, b: number): number {
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}

/** How many pixels changed between the two shots with a contrast of at least 3:1. */
function strongChanges(focused: Buffer, plain: Buffer): number {
  const a = PNG.sync.read(focused);
  const b = PNG.sync.read(plain);
  let count = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    if (a.data.readUInt32BE(i) === b.data.readUInt32BE(i)) continue;
    const la = luminance(a.data[i]!, a.data[i + 1]!, a.data[i + 2]!);
    const lb = luminance(b.data[i]!, b.data[i + 1]!, b.data[i + 2]!);
    if (contrast(la, lb) >= 3) count += 1;
  }
  return count;
}

interface Focused {
  /** How a person would name it: its role-ish tag and its text or label. */
  name: string;
  width: number;
  height: number;
  /** Where its indicator can be: around it, or around the card (list item) it is the link of. */
  region: { x: number; y: number; width: number; height: number };
}

// Strings run in the page: these tests compile without the DOM's types.
const DESCRIBE_FOCUSED = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const seen = (window.__focusSeen = window.__focusSeen || new WeakSet());
  if (seen.has(el)) return null;
  seen.add(el);
  const r = el.getBoundingClientRect();
  const box = (el.closest('li') || el).getBoundingClientRect();
  const x = Math.max(0, Math.min(r.left, box.left) - 12), y = Math.max(0, Math.min(r.top, box.top) - 12);
  const right = Math.min(innerWidth, Math.max(r.right, box.right) + 12), bottom = Math.min(innerHeight, Math.max(r.bottom, box.bottom) + 12);
  const region = { x, y, width: Math.max(1, right - x), height: Math.max(1, bottom - y) };
  const label = el.getAttribute('aria-label') || (el.labels && el.labels[0] && el.labels[0].textContent) || el.textContent || el.getAttribute('name') || '';
  return { name: el.tagName.toLowerCase() + ' "' + label.trim().replace(/\\s+/g, ' ').slice(0, 40) + '"', width: r.width, height: r.height, region };
})()`;

/**
 * Tabs through the page from its top (at most `limit` stops) and returns one line per element
 * whose focus indicator is missing or too faint, plus how many elements it checked. Things that
 * change by themselves (a running countdown) are masked out of both shots.
 */
export async function faintFocusIndicators(
  page: Page,
  limit = 40,
): Promise<{ checked: string[]; faint: string[] }> {
  const checked: string[] = [];
  const faint: string[] = [];
  const mask = [page.locator('[role=timer], [role=progressbar]')];
  // Start from the top of the document, as a visitor who just arrived.
  await page.evaluate(
    'document.activeElement && document.activeElement.blur(); window.__focusSeen = new WeakSet(); window.scrollTo(0, 0)',
  );
  // A click on the page's top-left corner (no control there) puts the tab order's start there.
  await page.mouse.click(1, 1);
  await page.keyboard.press('Tab');
  for (let i = 0; i < limit; i++) {
    const focused = (await page.evaluate(DESCRIBE_FOCUSED)) as Focused | null;
    // Nothing focused, or back to an element already checked: the whole page is done.
    if (!focused) break;
    const name = `${i + 1}. ${focused.name}`;
    checked.push(name);
    const shot = {
      animations: 'disabled' as const,
      mask,
      maskColor: '#808080',
      clip: focused.region,
    };
    const withFocus = await page.screenshot(shot);
    // Blurring keeps the place in the tab order: the next Tab goes on from this element.
    await page.evaluate('document.activeElement.blur()');
    const without = await page.screenshot(shot);
    const needed = Math.max(8, Math.round(2 * (focused.width + focused.height)));
    const strong = strongChanges(withFocus, without);
    if (strong < needed) {
      faint.push(`${name}: ${strong} px at ≥ 3:1, needs ≥ ${needed}`);
    }
    await page.keyboard.press('Tab');
  }
  return { checked, faint };
}
