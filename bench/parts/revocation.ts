/**
 * Revocation latency (issue 13): a real user signs up, signs out, and the same token is then
 * replayed as a Bearer token on every service that authenticates, each asked every 5 ms until it
 * refuses it; the figure is the time from the sign-out's answer to each service's first refusal,
 * p50 and p99 over BENCH_REVOCATIONS users (30). Goal p99 ≤ 250 ms; API.md promises 2 s.
 *
 * Each probe changes nothing: a protected route with an invalid body answers 400 while the
 * session holds and 401 once it is revoked (auth's currentuser answers `currentUser: null`).
 */
import { progress, sleep } from '../lib/measure.js';
import type { Sut } from '../lib/sut.js';
import type { Figure } from './figures.js';

const USERS = Number(process.env.BENCH_REVOCATIONS ?? 30);
const GIVE_UP_MS = 5_000;

/** Whether `service` still takes the token as signed in. */
const probes: Record<string, (url: string, auth: string) => Promise<boolean>> = {
  auth: async (url, auth) => {
    const res = await fetch(`${url}/api/users/currentuser`, { headers: { authorization: auth } });
    return ((await res.json()) as { currentUser: unknown }).currentUser !== null;
  },
  tickets: (url, auth) => accepts(url, 'POST', '/api/tickets', auth),
  orders: (url, auth) => accepts(url, 'GET', '/api/orders', auth),
  payments: (url, auth) => accepts(url, 'POST', '/api/payments', auth),
  notifications: (url, auth) => accepts(url, 'GET', '/api/notifications', auth),
};

async function accepts(url: string, method: string, path: string, auth: string) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: auth, 'content-type': 'application/json' },
    body: method === 'POST' ? '{}' : undefined,
  });
  await res.arrayBuffer();
  return res.status !== 401;
}

const pct = (values: number[], p: number) => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

export async function revocation(sut: Sut): Promise<Figure[]> {
  progress(`${sut.mode}: ${USERS} sign-outs, each watched on every service …`);
  const seen: Record<string, number[]> = Object.fromEntries(
    Object.keys(probes).map((s) => [s, []]),
  );
  for (let i = 0; i < USERS; i++) {
    const email = `revoke-${Date.now()}-${i}@bench.example`;
    const signup = await fetch(`${sut.url}/api/users/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'password123', name: 'Bench Revoke' }),
    });
    if (signup.status !== 201) throw new Error(`signup answered ${signup.status}`);
    const cookie = signup.headers.getSetCookie()[0]!.split(';')[0]!;
    const auth = `Bearer ${cookie.slice('session='.length)}`;
    for (const [service, accepted] of Object.entries(probes)) {
      if (!(await accepted(sut.url, auth))) throw new Error(`${service} refused a fresh session`);
    }
    const out = await fetch(`${sut.url}/api/users/signout`, {
      method: 'POST',
      headers: { cookie },
    });
    if (out.status !== 200) throw new Error(`signout answered ${out.status}`);
    const signedOut = performance.now();
    await Promise.all(
      Object.entries(probes).map(async ([service, accepted]) => {
        while (await accepted(sut.url, auth)) {
          if (performance.now() - signedOut > GIVE_UP_MS) {
            throw new Error(`${service} still takes a token ${GIVE_UP_MS} ms after its sign-out`);
          }
          await sleep(5);
        }
        seen[service]!.push(performance.now() - signedOut);
      }),
    );
  }
  return Object.entries(seen).flatMap(([service, ms]) => [
    { mode: sut.mode, what: `revocation → 401, ${service}, p50`, value: pct(ms, 50), unit: 'ms' },
    {
      mode: sut.mode,
      what: `revocation → 401, ${service}, p99`,
      value: pct(ms, 99),
      unit: 'ms',
      goal: '≤ 250 ms',
      met: pct(ms, 99) <= 250,
      detail: ms,
    },
  ]);
}
