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
import { eventually } from '../../test-support/http.js';
import { apiAs, type Person } from './api-as.js';
import { startStorefront, type Storefront } from './storefront-server.js';

/**
 * The notifications in a real browser, against the embedded app: a buyer pays for a ticket and
 * the bell in the header counts what happened (reserved, receipt); the notifications page lists
 * it, marks one and then all read, and links to the order; the seller hears of the sale; a new
 * user sees the empty page. Every state is saved at 1366×850 and 390×844 and checked with axe-core.
 */

const run = randomBytes(3).toString('hex');
const WAIT = { timeout: 30_000 };
const TITLE = `String quartet ${run}`;

describe.skipIf(!chromiumIsAvailable())('notifications in a browser', () => {
  let app: Storefront;
  const { api, signUp } = apiAs(() => app.url);
  let browser: Browser;
  const shots = new Screenshots(join(SCREENSHOT_DIR, 'notifications'));
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  const expectedFailure = /Failed to load resource: the server responded with a status of 4\d\d/;
  const seller: Person = { name: 'Sam Seller', email: `n-seller-${run}@example.com`, cookie: '' };
  const buyer: Person = { name: 'Bea Buyer', email: `n-buyer-${run}@example.com`, cookie: '' };
  const newcomer: Person = { name: 'Nia New', email: `n-new-${run}@example.com`, cookie: '' };
  let orderId = '';

  /** The person's unread count as the API has it. */
  async function unread(person: Person): Promise<number> {
    return (await api<{ unread: number }>(person, 'GET', '/api/notifications?limit=1')).data.unread;
  }

  async function personPage(person: Person, viewport = DESKTOP): Promise<Page> {
    const context = await browser.newContext({ viewport, baseURL: app.url });
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

  /** The bell of the header the viewport shows. */
  const bell = (page: Page) => page.getByTestId('notification-bell').locator('visible=true');

  beforeAll(async () => {
    await shots.prepare();
    app = await startStorefront();
    browser = await launchChromium();
    for (const person of [seller, buyer, newcomer]) await signUp(person);
    // A sale through the public API: listed, reserved (once the orders service knows the
    // ticket), paid with the sandbox's test token.
    const listed = await api<{ id: string }>(seller, 'POST', '/api/tickets', {
      title: TITLE,
      price: 64.5,
      venue: 'Wigmore Hall',
      startsAt: new Date(Date.now() + 30 * 24 * 3600_000).toISOString(),
    });
    expect(listed.status).toBe(201);
    for (let i = 0; i < 50 && !orderId; i++) {
      const ordered = await api<{ id: string }>(buyer, 'POST', '/api/orders', {
        ticketId: listed.data.id,
      });
      if (ordered.status === 201) orderId = ordered.data.id;
      else await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(orderId).not.toBe('');
    // Payments learns of the order by an event too: a 404 until it has.
    let paid = 0;
    for (let i = 0; i < 50 && paid !== 201; i++) {
      paid = (await api(buyer, 'POST', '/api/payments', { orderId, token: 'tok_visa' })).status;
      if (paid === 404) await new Promise((resolve) => setTimeout(resolve, 200));
      else expect(paid).toBe(201);
    }
    // The receipt comes by events: wait for the fact, not for a time.
    await eventually(
      () => unread(buyer),
      (n) => n === 2,
      20_000,
    );
    await eventually(
      () => unread(seller),
      (n) => n === 1,
      20_000,
    );
  }, 300_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await app?.stop();
  }, 60_000);

  it('after paying, the bell shows the unread count, and the notifications page lists the receipt and the reservation', async () => {
    const page = await personPage(buyer);
    await page.goto('/');
    await expect.poll(() => bell(page).textContent(), WAIT).toContain('2 unread');
    await shots.capture(page, 'bell-two-unread');

    await bell(page).click();
    await page.waitForURL((url) => url.pathname === '/notifications');
    await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
    const items = page.getByRole('listitem');
    await expect.poll(() => items.count()).toBe(2);
    // Newest first: the receipt, then the reservation.
    await expect.poll(() => items.nth(0).textContent()).toContain(`Receipt: ${TITLE}`);
    expect(await items.nth(0).textContent()).toContain('You paid $64.50 for your ticket.');
    expect(await items.nth(1).textContent()).toContain(`Reserved: ${TITLE}`);
    await page.getByText('2 unread', { exact: true }).waitFor();
    await shots.capture(page, 'notifications-unread');
  }, 90_000);

  it('marking one read lowers the count at once, in the page and in the bell', async () => {
    const page = await personPage(buyer);
    await page.goto('/notifications');
    await page.getByRole('button', { name: `Mark read: Reserved: ${TITLE}` }).click();
    await page.getByText('1 unread', { exact: true }).waitFor();
    await expect.poll(() => bell(page).textContent()).toContain('1 unread');
    expect(await unread(buyer)).toBe(1);
    expect(await page.getByRole('button', { name: /^Mark read/ }).count()).toBe(1);
    await shots.capture(page, 'notifications-one-read');
  }, 60_000);

  it('mark all read leaves none unread and the bell without a count; the receipt links to the order', async () => {
    const page = await personPage(buyer, PHONE);
    await page.goto('/notifications');
    await page.getByRole('button', { name: 'Mark all read' }).click();
    await page.getByText('All caught up.').waitFor();
    await expect.poll(() => bell(page).textContent()).toBe('Notifications');
    expect(await unread(buyer)).toBe(0);
    expect(await page.getByRole('button', { name: 'Mark all read' }).isDisabled()).toBe(true);
    await shots.capture(page, 'notifications-all-read');

    await page
      .getByRole('listitem')
      .filter({ hasText: `Receipt: ${TITLE}` })
      .getByRole('link', { name: 'View order' })
      .click();
    await page.waitForURL((url) => url.pathname === `/orders/${orderId}`);
    await page.getByRole('heading', { name: 'Order completed' }).waitFor();
  }, 60_000);

  it('the seller hears of the sale, with the buyer’s name and the amount', async () => {
    const page = await personPage(seller);
    await page.goto('/notifications');
    const sale = page.getByRole('listitem').filter({ hasText: `Sold: ${TITLE}` });
    await sale.getByText('Bea Buyer bought your ticket for $64.50.').waitFor();
    await shots.capture(page, 'notifications-seller-sale');
    await sale.getByRole('link', { name: 'View ticket' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/tickets/'));
  }, 60_000);

  it('a new user sees the empty page and a bell without a count', async () => {
    const page = await personPage(newcomer);
    await page.goto('/notifications');
    await page.getByRole('heading', { name: 'No notifications yet' }).waitFor();
    expect(await bell(page).textContent()).toBe('Notifications');
    await shots.capture(page, 'notifications-empty');
  }, 60_000);

  it('a signed-out visitor is sent to sign in', async () => {
    const context = await browser.newContext({ viewport: DESKTOP, baseURL: app.url });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto('/notifications');
    await page.waitForURL(/\/signin\?next=%2Fnotifications$/);
    expect(await page.getByTestId('notification-bell').count()).toBe(0);
  }, 60_000);

  it('no page had a script error, was wider than the window, or had an accessibility violation', () => {
    expect(pageErrors).toEqual([]);
    expect(shots.overflows).toEqual([]);
    expect(shots.accessibility).toEqual([]);
  });
});
