import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DESKTOP,
  SCREENSHOT_DIR,
  Screenshots,
  chromiumIsAvailable,
  launchChromium,
} from './browser.js';
import { PASSWORD, apiAs } from './api-as.js';
import { startStorefront, type Storefront } from './storefront-server.js';

/**
 * Accounts people can trust, in a real browser against `npm start` (issue 13): forgot password →
 * the mail (a real SMTP listener) → reset page → signed in; change password; sign out
 * everywhere; an administrator suspends and restores a user, whose sign-in says so meanwhile.
 * Every state is saved at desktop and phone width and checked with axe-core.
 */

const run = randomBytes(3).toString('hex');
const WAIT = { timeout: 30_000 };

interface Person {
  name: string;
  email: string;
  password: string;
  cookie: string;
}

const person = (name: string, who: string): Person => ({
  name,
  email: `${who}-${run}@example.com`,
  password: PASSWORD,
  cookie: '',
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe.skipIf(!chromiumIsAvailable())('accounts in a browser (issue 13)', () => {
  let app: Storefront;
  const { api } = apiAs(() => app.url);
  let browser: Browser;
  let smtp: SMTPServer;
  const inbox: ParsedMail[] = [];
  const shots = new Screenshots(join(SCREENSHOT_DIR, 'accounts'));
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  const expectedFailure = /Failed to load resource: the server responded with a status of 4\d\d/;
  const admin = person('Ada Admin', 'admin');
  const reader = person('Rita Reader', 'rita');
  const mallory = person('Mallory Misuse', 'mallory');

  /** Signs in through the API: a session of the person's elsewhere (another device). */
  async function otherDevice(who: Person): Promise<Person> {
    const { status, cookie } = await api(null, 'POST', '/api/users/signin', {
      email: who.email,
      password: who.password,
    });
    expect(status).toBe(200);
    return { ...who, cookie };
  }

  const signedInAs = async (session: Person) =>
    (await api<{ currentUser: { email: string } | null }>(session, 'GET', '/api/users/currentuser'))
      .data.currentUser?.email ?? null;

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: DESKTOP, baseURL: app.url });
    contexts.push(context);
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

  async function signIn(page: Page, who: Person, next = '/') {
    await page.goto(`/signin?next=${encodeURIComponent(next)}`);
    await page.getByLabel('Email').fill(who.email);
    await page.getByLabel('Password').fill(who.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === next);
  }

  beforeAll(async () => {
    await shots.prepare();
    const port = await freePort();
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, _session, callback) {
        simpleParser(stream)
          .then((mail) => (inbox.push(mail), callback()))
          .catch(callback);
      },
    });
    await new Promise<void>((resolve) => smtp.listen(port, '127.0.0.1', resolve));
    app = await startStorefront({
      ADMIN_EMAILS: admin.email,
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      COOKIE_SECURE: 'false',
    });
    browser = await launchChromium();
    for (const who of [admin, reader, mallory]) {
      const { status, cookie } = await api(null, 'POST', '/api/users/signup', {
        name: who.name,
        email: who.email,
        password: who.password,
      });
      expect(status).toBe(201);
      who.cookie = cookie;
    }
  }, 300_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await app?.stop();
    await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
    console.log(`[browser] ${shots.files.length} screenshots saved in ${shots.dir}`);
  }, 60_000);

  it('forgot password → the mailed link → reset page (token gone from the address, no referrer) → signed in; the link works once', async () => {
    const page = await newPage();
    await page.goto('/signin');
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.waitForURL((url) => url.pathname === '/forgot-password');
    await page.getByLabel('Email').fill(reader.email);
    await shots.capture(page, 'forgot-password');
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Check your email');
    await shots.capture(page, 'forgot-password-sent');

    await expect
      .poll(() => inbox.filter((m) => JSON.stringify(m.to).includes(reader.email)).length, WAIT)
      .toBe(1);
    const mail = inbox.find((m) => JSON.stringify(m.to).includes(reader.email))!;
    const link = /https?:\/\/[^\s/]+(\/reset-password\?token=[\w-]+)/.exec(mail.text ?? '');
    expect(link).not.toBeNull();
    const pathWithToken = link![1]!;
    const token = pathWithToken.split('token=')[1]!;

    const response = await page.goto(pathWithToken);
    expect(response!.headers()['referrer-policy']).toBe('no-referrer');
    await page.getByLabel('New password').waitFor();
    // The token is taken out of the address bar (and so out of history and bookmarks).
    await expect.poll(() => page.url()).not.toContain(token);
    expect(new URL(page.url()).pathname).toBe('/reset-password');
    expect(await page.evaluate('document.referrer === "" && location.search === ""')).toBe(true);
    expect(await page.locator('meta[name="referrer"]').getAttribute('content')).toBe('no-referrer');
    await shots.capture(page, 'reset-password');

    const otherSession = await otherDevice(reader);
    reader.password = 'a-brand-new-password';
    await page.getByLabel('New password').fill(reader.password);
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByRole('link', { name: reader.name }).waitFor();
    await shots.capture(page, 'reset-password-signed-in');
    // Earlier sessions ended; the old password no longer signs in.
    expect(await signedInAs(otherSession)).toBeNull();
    expect(
      (await api(null, 'POST', '/api/users/signin', { email: reader.email, password: PASSWORD }))
        .status,
    ).toBe(400);

    // The same link a second time: refused, and the page says what to do.
    const again = await newPage();
    await again.goto(pathWithToken);
    await again.getByLabel('New password').fill('yet-another-password');
    await again.getByRole('button', { name: 'Set new password' }).click();
    await again.getByText('This reset link is invalid, used or expired').waitFor();
    await again.getByRole('link', { name: 'Ask for a new link' }).waitFor();
    await shots.capture(again, 'reset-password-used-link');
  }, 180_000);

  it('a signed-in user changes the password on the profile: a wrong current password is shown on its field, then other devices are signed out and this one is not', async () => {
    const page = await newPage();
    await signIn(page, reader, '/profile');
    const elsewhere = await otherDevice(reader);
    await page.getByLabel('Current password').fill('not-my-password');
    await page.getByLabel('New password').fill('second-new-password');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Current password is wrong').waitFor();
    await expect
      .poll(() => page.getByLabel('Current password').getAttribute('aria-invalid'))
      .toBe('true');
    await shots.capture(page, 'change-password-wrong');

    await page.getByLabel('Current password').fill(reader.password);
    await page.getByLabel('New password').fill('second-new-password');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed').waitFor();
    reader.password = 'second-new-password';
    await shots.capture(page, 'change-password-done');
    expect(await signedInAs(elsewhere)).toBeNull();
    await page.reload();
    await page.getByRole('heading', { name: 'Profile', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/profile');
  }, 180_000);

  it('sign out everywhere ends every session, this browser included, and the sign-in page says so', async () => {
    const page = await newPage();
    await signIn(page, reader, '/profile');
    const elsewhere = await otherDevice(reader);
    expect(await signedInAs(elsewhere)).toBe(reader.email);
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await page.waitForURL((url) => url.pathname === '/signin');
    await page
      .getByText('Every device that was signed in to your account has been signed out.')
      .waitFor();
    await shots.capture(page, 'signed-out-everywhere');
    expect(await signedInAs(elsewhere)).toBeNull();
    await page.goto('/profile');
    await page.waitForURL((url) => url.pathname === '/signin');
  }, 180_000);

  it('an administrator finds a user by email and suspends them with a reason; their sign-in says the account is suspended; restoring lets them in again; others cannot open the admin page', async () => {
    const stranger = await newPage();
    await signIn(stranger, reader, '/admin');
    await stranger.getByText('Administrators only').waitFor();
    expect(await stranger.getByRole('button', { name: 'Find user' }).count()).toBe(0);

    const page = await newPage();
    await signIn(page, admin, '/profile');
    await page.getByRole('link', { name: 'Open administration' }).click();
    await page.waitForURL((url) => url.pathname === '/admin');
    await page.getByLabel('Email').fill(`nobody-${run}@example.com`);
    await page.getByRole('button', { name: 'Find user' }).click();
    await page.getByText('No user found').waitFor();
    await page.getByLabel('Email').fill(mallory.email.toUpperCase());
    await page.getByRole('button', { name: 'Find user' }).click();
    await page.getByRole('heading', { name: mallory.name }).waitFor();
    await page.getByText('Active', { exact: true }).waitFor();
    await shots.capture(page, 'admin-found-user');

    await page.getByRole('button', { name: 'Suspend account' }).click();
    await page.getByText('Reason is required').waitFor();
    await page.getByLabel('Reason for suspension').fill('Sold the same seats three times');
    await page.getByRole('button', { name: 'Suspend account' }).click();
    await page.getByText('Reason: Sold the same seats three times').waitFor();
    await page.getByText('Suspended', { exact: true }).first().waitFor();
    await shots.capture(page, 'admin-suspended-user');
    expect(await signedInAs(mallory)).toBeNull();

    const victim = await newPage();
    await victim.goto('/signin');
    await victim.getByLabel('Email').fill(mallory.email);
    await victim.getByLabel('Password').fill(mallory.password);
    await victim.getByRole('button', { name: 'Sign in' }).click();
    await victim.getByRole('alert').filter({ hasText: 'Account suspended' }).waitFor();
    expect(new URL(victim.url()).pathname).toBe('/signin');
    await shots.capture(victim, 'sign-in-suspended');

    await page.getByRole('button', { name: 'Restore account' }).click();
    await page.getByText('Active', { exact: true }).waitFor();
    await shots.capture(page, 'admin-restored-user');
    await signIn(victim, mallory, '/');
    await victim.getByRole('link', { name: mallory.name }).waitFor();
  }, 180_000);

  it('no page logged an error, every state fits a phone and passes axe-core', () => {
    expect(pageErrors).toEqual([]);
    expect(shots.overflows).toEqual([]);
    expect(shots.accessibility).toEqual([]);
  });
});
