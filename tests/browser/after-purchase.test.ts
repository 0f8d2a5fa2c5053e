import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DESKTOP,
  PHONE,
  SCREENSHOT_DIR,
  Screenshots,
  chromiumIsAvailable,
  launchChromium,
} from './browser.js';
import { apiAs, type Person } from './api-as.js';
import { startStorefront, type Storefront } from './storefront-server.js';

/**
 * Listings a buyer browses (issue 11: venue and date on every card, sort and filters kept in the
 * URL, withdrawal with a confirmation) and what follows a purchase (issue 12: the ticket's code
 * with its QR code, the receipt with the paid date, amount and card's last four, a printable
 * receipt, My orders with the event, the seller's My sales). The browsing steps run at
 * 1366×850 and at 390×844; every state is saved at both widths and checked with axe-core.
 */

const run = randomBytes(3).toString('hex');
const WAIT = { timeout: 30_000 };
const CODE = `TIX-${run.toUpperCase()}-0042`;

/** A start `days` ahead at 19:30 UTC, as the API takes it. */
const startIn = (days: number) => {
  const d = new Date(Date.now() + days * 86_400_000);
  d.setUTCHours(19, 30, 0, 0);
  return d.toISOString();
};

describe.skipIf(!chromiumIsAvailable())('listings and after the purchase, in a browser', () => {
  let app: Storefront;
  const { api, signUp } = apiAs(() => app.url);
  let browser: Browser;
  const shots = new Screenshots(join(SCREENSHOT_DIR, 'after-purchase'));
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  const expectedFailure = /Failed to load resource: the server responded with a status of 4\d\d/;
  const seller: Person = { name: 'Sam Seller', email: `ap-seller-${run}@example.com`, cookie: '' };
  const buyer: Person = { name: 'Bea Buyer', email: `ap-buyer-${run}@example.com`, cookie: '' };
  /** The listings of this run, by title: what the sort and the filters are checked against. */
  const listed: Record<string, string> = {};

  async function listTicket(title: string, price: number, days: number, code?: string) {
    const { status, data } = await api<{ id: string }>(seller, 'POST', '/api/tickets', {
      title: `${title} ${run}`,
      price,
      venue: 'The Blue Room',
      startsAt: startIn(days),
      ...(code ? { code } : {}),
    });
    expect(status).toBe(201);
    listed[title] = data.id;
    return data.id;
  }

  async function personPage(
    person: Person,
    viewport = DESKTOP,
    timezoneId?: string,
  ): Promise<Page> {
    const context = await browser.newContext({
      viewport,
      baseURL: app.url,
      ...(timezoneId && { timezoneId }),
    });
    contexts.push(context);
    await context.addCookies(
      person.cookie.split('; ').map((pair) => {
        const at = pair.indexOf('=');
        return { name: pair.slice(0, at), value: pair.slice(at + 1), url: app.url };
      }),
    );
    const page = await context.newPage();
    page.setDefaultTimeout(WAIT.timeout);
    page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && !expectedFailure.test(message.text())) {
        pageErrors.push(`${page.url()}: ${message.text()}`);
      }
    });
    return page;
  }

  /** The titles of the ticket cards on the page, in order, without this run's suffix. */
  const cardTitles = async (page: Page) =>
    (await page.getByRole('region', { name: 'Tickets' }).getByRole('heading').allTextContents())
      .map((t) => t.trim())
      .filter((t) => t.endsWith(run))
      .map((t) => t.slice(0, -run.length - 1));

  beforeAll(async () => {
    await shots.prepare();
    app = await startStorefront();
    browser = await launchChromium();
    await signUp(seller);
    await signUp(buyer);
    await listTicket('Cello recital', 30, 3);
    await listTicket('Brass band', 12.5, 10);
    await listTicket('Organ concert', 55, 20, CODE);
    await listTicket('Drum circle', 8, 40);
  }, 300_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await app?.stop();
  }, 60_000);

  for (const [label, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    it(`a buyer sorts and filters the list, and the choice survives a reload (${label})`, async () => {
      const page = await personPage(buyer, viewport);
      await page.goto(`/?q=${run}`);
      // Each card names its venue and a readable date.
      const cards = page.getByRole('region', { name: 'Tickets' });
      await cards.getByText('The Blue Room').first().waitFor();
      expect(await cardTitles(page)).toEqual([
        'Drum circle',
        'Organ concert',
        'Brass band',
        'Cello recital',
      ]);
      await shots.capture(page, `list-newest-${label}`);

      const filters = page.getByRole('form', { name: 'Sort and filter' });
      await filters.getByLabel('Sort by').selectOption('price');
      await filters.getByLabel('Min price ($)').fill('10');
      await filters.getByLabel('Max price ($)').fill('60');
      await filters.getByRole('button', { name: 'Apply' }).click();
      await page.waitForURL(/sort=price/);
      const url = new URL(page.url());
      expect(Object.fromEntries(url.searchParams)).toMatchObject({
        q: run,
        sort: 'price',
        minPrice: '10',
        maxPrice: '60',
      });
      await expect
        .poll(() => cardTitles(page))
        .toEqual(['Brass band', 'Cello recital', 'Organ concert']);
      await page.reload();
      expect(await cardTitles(page)).toEqual(['Brass band', 'Cello recital', 'Organ concert']);
      expect(await filters.getByLabel('Sort by').inputValue()).toBe('price');
      await shots.capture(page, `list-by-price-${label}`);

      // A date range: from the 5th to the 25th day ahead, in the browser's calendar.
      const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
      await filters.getByLabel('From date').fill(day(5));
      await filters.getByLabel('To date').fill(day(25));
      await filters.getByRole('button', { name: 'Apply' }).click();
      await page.waitForURL(/from=/);
      await expect.poll(() => cardTitles(page)).toEqual(['Brass band', 'Organ concert']);
      await page.getByText('Showing both tickets.').waitFor();
      await shots.capture(page, `list-dates-${label}`);
    }, 120_000);
  }

  it('a buyer in Auckland filters by their own calendar day, not by the UTC day', async () => {
    // Brass band starts at 19:30 UTC on day 10, which is the morning of day 11 in Auckland.
    const page = await personPage(buyer, DESKTOP, 'Pacific/Auckland');
    const day11 = new Date(Date.now() + 11 * 86_400_000).toISOString().slice(0, 10);
    await page.goto(`/?q=${run}`);
    const filters = page.getByRole('form', { name: 'Sort and filter' });
    await filters.getByLabel('From date').fill(day11);
    await filters.getByLabel('To date').fill(day11);
    await filters.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/tz=Pacific%2FAuckland/);
    await expect.poll(() => cardTitles(page)).toEqual(['Brass band']);
    // The card shows the local date the buyer picked.
    const [, month, day] = day11.split('-').map(Number) as [number, number, number];
    const shown = new Date(Date.UTC(2000, month - 1, day)).toLocaleDateString('en-US', {
      month: 'short',
      day: 'numeric',
      timeZone: 'UTC',
    });
    await page
      .getByRole('region', { name: 'Tickets' })
      .getByText(shown, { exact: false })
      .waitFor();
    await shots.capture(page, 'list-local-day-auckland');
  }, 60_000);

  it('the seller withdraws a listing after confirming, and it leaves the list', async () => {
    const page = await personPage(seller, PHONE);
    await page.goto('/listings');
    const row = page.getByRole('listitem').filter({ hasText: `Drum circle ${run}` });
    await row.getByRole('button', { name: /Withdraw/ }).click();
    await shots.capture(page, 'withdraw-confirm');
    await row.getByRole('button', { name: /Yes, withdraw/ }).click();
    await row.getByText('Withdrawn', { exact: true }).waitFor();
    await shots.capture(page, 'withdrawn');
    const list = await api<Array<{ id: string }>>(null, 'GET', `/api/tickets?q=${run}`);
    expect(list.data.map((t) => t.id)).not.toContain(listed['Drum circle']);
  }, 60_000);

  it('the buyer pays, and the order page shows the code large with its QR code, and the receipt', async () => {
    const page = await personPage(buyer);
    await page.goto(`/tickets/${listed['Organ concert']}`);
    await page.getByRole('button', { name: /^Buy for \$55\.00$/ }).click();
    await page.waitForURL(/\/orders\/[^/]+$/);
    const orderPath = new URL(page.url()).pathname;
    // The order names its event.
    await page.getByText('The Blue Room').first().waitFor();

    await page.getByLabel('Card number').fill('4242 4242 4242 4242');
    await page.getByLabel('Expiry (MM/YY)').fill('12/34');
    await page.getByLabel('CVC').fill('123');
    await page.getByRole('button', { name: /^Pay \$55\.00$/ }).click();
    await page.getByRole('heading', { name: 'Order completed' }).waitFor();

    const code = page.getByTestId('ticket-code');
    await code.waitFor();
    expect(await code.textContent()).toBe(CODE);
    const fontSize = Number.parseFloat(
      (await page.evaluate(
        "getComputedStyle(document.querySelector('[data-testid=ticket-code]')).fontSize",
      )) as string,
    );
    expect(fontSize).toBeGreaterThanOrEqual(28);
    const qr = page.getByRole('img', { name: `QR code of the ticket code ${CODE}` });
    await qr.waitFor();
    expect(await qr.locator('path').count()).toBeGreaterThan(0);
    const receipt = page.getByRole('region', { name: 'Receipt' });
    await receipt.getByText('$55.00').waitFor();
    await receipt.getByText('•••• 4242').waitFor();
    const paidOn = receipt.locator('dd time').last();
    expect(await paidOn.getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    await shots.capture(page, 'order-paid-code-and-receipt');

    // Copying puts the code on the clipboard.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.getByRole('button', { name: 'Copy code' }).click();
    await page.getByText('The code is on your clipboard.').waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(CODE);

    // A reload renders it all from the server at once.
    await page.reload();
    await page.getByTestId('ticket-code').waitFor();

    await page.getByRole('link', { name: 'Printable receipt' }).click();
    await page.waitForURL(`**${orderPath}/receipt`);
    await page.getByRole('heading', { name: 'Receipt', level: 1 }).waitFor();
    await page.getByText('•••• 4242').waitFor();
    await page.getByText(`Organ concert ${run}`).waitFor();
    expect(await page.getByText(CODE).count()).toBe(0);
    await shots.capture(page, 'receipt');
    // On paper, the site's header and the buttons are left out.
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('button', { name: 'Print receipt' }).isVisible()).toBe(false);
    expect(await page.locator('body > header').isVisible()).toBe(false);
    await page.emulateMedia({ media: 'screen' });

    await page.goto('/orders');
    const row = page.getByRole('listitem').filter({ hasText: `Organ concert ${run}` });
    await row.getByText('Paid — the ticket is yours').waitFor();
    await row.getByText('The Blue Room').waitFor();
    await shots.capture(page, 'my-orders-paid');
  }, 120_000);

  it('the seller sees the sale in My sales, with the buyer and the amount', async () => {
    const page = await personPage(seller);
    await page.goto('/');
    await page.getByRole('link', { name: 'My sales' }).click();
    await page.waitForURL('**/sales');
    const row = page.getByRole('listitem').filter({ hasText: `Organ concert ${run}` });
    // The sale reaches the tickets service by an event: reload until it shows.
    await expect
      .poll(
        async () => {
          if (await row.isVisible()) return true;
          await page.reload();
          return row.isVisible();
        },
        { timeout: WAIT.timeout, interval: 300 },
      )
      .toBe(true);
    await row.getByText('Bought by Bea Buyer').waitFor();
    await row.getByText('$55.00').waitFor();
    await shots.capture(page, 'my-sales');
    // The header's links fit between the phone and desktop widths too (the menu button below
    // 1024 px, the inline links from there).
    for (const width of [768, 900, 1024, 1100]) {
      await page.setViewportSize({ width, height: 850 });
      const [scroll, client] = (await page.evaluate(
        '[document.documentElement.scrollWidth, document.documentElement.clientWidth]',
      )) as [number, number];
      expect(scroll, `${width}px`).toBeLessThanOrEqual(client);
    }
    await page.setViewportSize(DESKTOP);
  }, 60_000);

  it('a buyer without sales sees the empty state of My sales', async () => {
    const page = await personPage(buyer, PHONE);
    await page.goto('/sales');
    await page.getByText('No sales yet').waitFor();
    await shots.capture(page, 'my-sales-empty');
  }, 60_000);

  it('no page had a script error, none is wider than the window, axe finds nothing', () => {
    expect(pageErrors).toEqual([]);
    expect(shots.overflows).toEqual([]);
    expect(shots.accessibility).toEqual([]);
  });
});
