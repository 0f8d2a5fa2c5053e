import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../../test-support/http.js';
import { hasPostgres } from '../../../test-support/servers.js';
import {
  startTestService,
  testConfig,
  type RunningTestService,
} from '../../../test-support/service-harness.js';
import { authSettings } from './config.js';
import { createAuthService } from './service.js';

let n = 0;
const newEmail = () => `limit${Date.now()}${n++}@example.com`;
const password = 'correct horse battery';
const limits = {
  SIGNIN_MAX_FAILURES_PER_EMAIL: '3',
  SIGNIN_MAX_PER_IP: '12',
  SIGNIN_FLOOD_PER_EMAIL: '3',
  SIGNIN_WINDOW_SECONDS: '60',
  SIGNUP_MAX_PER_IP: '3',
};
const from = (ip: string) => ({ 'x-forwarded-for': ip });

describe.skipIf(!hasPostgres)('Sign-in and sign-up limits', () => {
  let proxied: RunningTestService;
  let direct: RunningTestService;
  beforeAll(async () => {
    [proxied, direct] = await Promise.all([
      // Behind a proxy on loopback that the service trusts, as behind the gateway.
      startTestService((deps) => createAuthService(deps, testConfig(authSettings, limits)), {
        name: 'auth_limit',
        trustProxy: 'loopback',
      }),
      // Trusting no proxy, as the embedded mode does by default.
      startTestService((deps) => createAuthService(deps, testConfig(authSettings, limits)), {
        name: 'auth_limit_direct',
        trustProxy: false,
      }),
    ]);
  }, 180_000);
  afterAll(async () => {
    await proxied?.stop();
    await direct?.stop();
  });

  async function account(service: RunningTestService, ip: string) {
    const email = newEmail();
    const res = await new ApiClient(service.url).post(
      '/api/users/signup',
      { email, password, name: 'Lim' },
      from(ip),
    );
    expect(res.status).toBe(201);
    return email;
  }
  const signIn = (service: RunningTestService, email: string, pass: string, ip: string) =>
    new ApiClient(service.url).post('/api/users/signin', { email, password: pass }, from(ip));

  it("when IP A fails on an email until refused, then IP B's right password still signs in", async () => {
    const email = await account(proxied, '10.1.0.1');
    for (let i = 0; i < 3; i++) {
      expect((await signIn(proxied, email, 'wrong pass', '10.1.0.2')).status).toBe(400);
    }
    const refused = await signIn(proxied, email, password, '10.1.0.2');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.body).toEqual({ errors: [{ message: expect.stringMatching(/too many/i) }] });
    expect((await signIn(proxied, email, password, '10.1.0.3')).status).toBe(200);
  });

  it('when one IP fails on many accounts, then it is refused after its budget and others are not', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) {
      statuses.push((await signIn(proxied, newEmail(), 'guess1234', '10.2.0.1')).status);
    }
    expect(statuses).toEqual([...Array(12).fill(400), 429, 429]);
    expect((await signIn(proxied, newEmail(), 'guess1234', '10.2.0.2')).status).toBe(400);
  });

  it('when many IPs flood one email, then those that failed wait longer and longer, and a client that has not failed signs in', async () => {
    const email = await account(proxied, '10.4.0.1');
    const waits: number[] = [];
    // Each attacker address fails once, then tries again.
    for (let i = 0; i < 10; i++) {
      const ip = `10.3.${i}.1`;
      expect((await signIn(proxied, email, `guess ${i}`, ip)).status).toBe(400);
      const again = await signIn(proxied, email, `guess ${i}b`, ip);
      if (again.status === 429) waits.push(Number(again.headers.get('retry-after')));
      else expect(again.status).toBe(400);
    }
    expect(waits.length).toBeGreaterThan(0);
    expect(Math.max(...waits)).toBeGreaterThan(60);
    expect(waits[0]!).toBeLessThanOrEqual(60);
    // The owner, from an address that has not failed, is not locked out.
    const owner = await signIn(proxied, email, password, '10.4.0.9');
    expect(owner.status).toBe(200);
  });

  it('when no proxy is trusted, then X-Forwarded-For changes nothing: the socket address is counted', async () => {
    const email = await account(direct, '10.5.0.1');
    for (let i = 0; i < 3; i++) {
      expect((await signIn(direct, email, 'wrong pass', `10.5.1.${i}`)).status).toBe(400);
    }
    // A new forwarded address does not make a new client.
    expect((await signIn(direct, email, password, '10.5.2.1')).status).toBe(429);
  });

  it('when one IP signs up past the limit, then 429 with Retry-After, and another IP can still sign up', async () => {
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 4; i++) {
      last = await new ApiClient(proxied.url).post(
        '/api/users/signup',
        { email: newEmail(), password, name: 'Many' },
        from('10.6.0.1'),
      );
      statuses.push(last.status);
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(last!.body.errors[0].message).toMatch(/sign-ups/);
    await account(proxied, '10.6.0.2');
  });

  it('when the email is longer than 254 characters, then sign-in is 400 on email', async () => {
    const res = await signIn(proxied, `${'a'.repeat(250)}@example.com`, 'x', '10.7.0.1');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('email');
  });
});
