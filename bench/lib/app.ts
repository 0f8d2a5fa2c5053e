/** Talking to the app under test: a seller, tickets, buyers, and reading its databases. */
import pg from 'pg';
import { signSession } from '@ticketing/common';
import { JWT_KEY, SERVICES, type Sut } from './sut.js';
import { sleep } from './measure.js';

/** Signs up a seller and returns the session cookie. */
export async function signUpSeller(sut: Sut): Promise<string> {
  const email = `seller-${Date.now()}-${Math.random().toString(36).slice(2)}@bench.example`;
  const res = await fetch(`${sut.url}/api/users/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'password123', name: 'Bench Seller' }),
  });
  if (res.status !== 201) throw new Error(`signup answered ${res.status}`);
  return res.headers.getSetCookie()[0]!.split(';')[0]!;
}

/** Lists `count` tickets through the API, 16 at a time (not timed); returns their ids. */
export async function listTickets(sut: Sut, cookie: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const res = await fetch(`${sut.url}/api/tickets`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({
          title: `Bench concert ${i}`,
          price: 20 + (i % 50),
          description: 'Row A',
          venue: 'Bench Hall',
          startsAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
        }),
      });
      if (res.status !== 201) throw new Error(`POST /api/tickets answered ${res.status}`);
      ids.push(((await res.json()) as { id: string }).id);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return ids;
}

/** Bearer tokens of `count` distinct buyers, signed with the app's key. */
export async function buyerTokens(count: number): Promise<string[]> {
  const run = `${Date.now().toString(36)}`;
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      signSession(
        { id: `buyer-${run}-${i}`, email: `b${i}@bench.example`, name: `B${i}` },
        JWT_KEY,
        3600,
      ),
    ),
  );
}

/** Runs one query on one database, on a connection of its own. */
export async function sql<R>(url: string, text: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as R[];
  } finally {
    await client.end();
  }
}

/** Waits until the orders service's replica holds at least `count` tickets. */
export async function untilOrdersKnows(sut: Sut, count: number): Promise<void> {
  for (;;) {
    const [row] = await sql<{ n: number }>(sut.db.orders, 'SELECT count(*)::int AS n FROM tickets');
    if (row!.n >= count) return;
    await sleep(200);
  }
}

/**
 * Every service has caught up with the orders: tickets marks as held, payments knows and
 * expiration tracks as many orders as orders holds, and no outbox has anything unsent.
 * Returns how many queries it ran on the app's databases (they count as transactions there).
 */
export async function untilCaughtUp(
  sut: Sut,
  timeoutMs = Number(process.env.BENCH_CATCHUP_SECONDS ?? 300) * 1000,
): Promise<{ ms: number; queries: number }> {
  const started = performance.now();
  let queries = 0;
  const count = async (service: (typeof SERVICES)[number], text: string) => {
    queries++;
    return (await sql<{ n: number }>(sut.db[service], text))[0]!.n;
  };
  while (performance.now() - started < timeoutMs) {
    const orders = await count(
      'orders',
      `SELECT count(*)::int AS n FROM orders WHERE status <> 'cancelled'`,
    );
    const held = await count(
      'tickets',
      `SELECT count(*)::int AS n FROM tickets WHERE status <> 'available'`,
    );
    const paying = await count(
      'payments',
      `SELECT count(*)::int AS n FROM orders WHERE status <> 'cancelled'`,
    );
    const tracked = await count('expiration', 'SELECT count(*)::int AS n FROM expirations');
    let unsent = 0;
    for (const s of SERVICES)
      unsent += await count(s, 'SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL');
    if (held === orders && paying === orders && tracked >= orders && unsent === 0) {
      return { ms: performance.now() - started, queries };
    }
    await sleep(100);
  }
  throw new Error(`${sut.mode}: not caught up within ${timeoutMs} ms`);
}

/** Databases whose transactions are the app's work (the embedded bus has its own). */
const appDatabases = (sut: Sut) => [
  ...SERVICES.map((s) => new URL(sut.db[s]).pathname.slice(1)),
  ...(sut.mode === 'embedded' ? ['bus'] : []),
];

/**
 * Transactions committed or rolled back so far in the app's databases, and statements executed
 * if pg_stat_statements is loaded (null otherwise).
 */
export async function counters(sut: Sut): Promise<{
  transactions: number;
  statements: number | null;
  byDatabase: Record<string, number>;
}> {
  await sleep(1_200); // backends flush their statistics at most once a second
  const names = appDatabases(sut);
  const perDb = await sql<{ datname: string; n: number }>(
    sut.db.server,
    `SELECT datname, (xact_commit + xact_rollback)::bigint AS n FROM pg_stat_database
     WHERE datname = ANY($1)`,
    [names],
  );
  const byDatabase = Object.fromEntries(perDb.map((r) => [r.datname, Number(r.n)]));
  const statements = await sql<{ n: number }>(
    sut.db.server,
    `SELECT sum(calls)::bigint AS n FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
     WHERE d.datname = ANY($1)`,
    [names],
  ).then(
    ([row]) => Number(row!.n),
    () => null,
  );
  const transactions = Object.values(byDatabase).reduce((a, b) => a + b, 0);
  return { transactions, statements, byDatabase };
}
