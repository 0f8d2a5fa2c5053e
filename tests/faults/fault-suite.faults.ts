import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICES, startTopology, type Replica, type Topology } from '@ticketing/distributed';
import { ApiClient, eventually, type ApiResponse } from '../../test-support/http.js';
import { signedUpClient } from '../../test-support/journeys.js';
import { ticketBody } from '../../test-support/tickets.js';
import {
  ownServersAvailable,
  startOwnNats,
  startOwnPostgres,
  startOwnRedis,
  type OwnServer,
} from '../../test-support/own-servers.js';
import { TEST_JWT_KEY } from '../../test-support/service-harness.js';
import { checkInvariants, type Violations } from './invariants.js';

/*
 * The fault suite: the distributed topology (two processes of every API service and of
 * expiration) on a PostgreSQL, a NATS and a Redis of its own, under a stream of purchases, while
 * each fault is injected in turn: kill -9 and restart of NATS, of Redis (no persistence: it comes
 * back empty) and of PostgreSQL (`pg_ctl stop -m immediate`), SIGSTOP/SIGCONT of NATS, and kill -9
 * of service replicas, which the topology must restart. Afterwards every invariant is checked in
 * the databases and through the API, and a table of 5xx answers and recovery times is printed.
 */

const WINDOW_SECONDS = 8;
const BUYERS = 6;
/** Every how many orders a buyer walks away without paying (its hold must lapse). */
const ABANDON_EVERY = 4;
/** How long a fault lasts before the server is brought back. */
const OUTAGE_MS = 3_000;
/** Recovery: the system must serve a whole purchase again within this after the fault ends. */
const RECOVERY_LIMIT_MS = 120_000;

interface Answer {
  at: number;
  status: number;
  path: string;
}

/** Every answer the workload got, with when: the 5xx per fault are counted from it. */
const answers: Answer[] = [];

/** An ApiClient whose answers are recorded; a connection refused or reset counts as status 0. */
class RecordingClient extends ApiClient {
  override async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<ApiResponse<T>> {
    let res: ApiResponse<T>;
    try {
      res = await super.request<T>(method, path, body, headers);
    } catch {
      res = { status: 0, body: undefined as T, headers: new Headers() };
    }
    answers.push({ at: Date.now(), status: res.status, path: `${method} ${path.split('?')[0]}` });
    return res;
  }
}

async function recordingClient(url: string, name: string): Promise<RecordingClient> {
  const signed = await signedUpClient(url, name);
  const client = new RecordingClient(url);
  client.cookie = signed.cookie;
  return client;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Retries a call whose answer is a 5xx, a network error or one of `retryOn`, for up to `ms`. */
async function persist(
  call: () => Promise<ApiResponse>,
  ms: number,
  retryOn: number[] = [],
): Promise<ApiResponse> {
  const deadline = Date.now() + ms;
  for (;;) {
    const res = await call();
    const retry = res.status === 0 || res.status >= 500 || retryOn.includes(res.status);
    if (!retry || Date.now() > deadline) return res;
    await sleep(250);
  }
}

/** One buyer's purchases, one after another, until `stop()` says so. */
async function buyerLoop(seller: ApiClient, buyer: ApiClient, n: number, stop: () => boolean) {
  for (let i = 0; !stop(); i++) {
    const listed = await persist(
      () =>
        seller.post('/api/tickets', ticketBody({ title: `Fault ${n}.${i}`, price: 10 + (i % 50) })),
      20_000,
    );
    if (listed.status !== 201) continue;
    // The orders replica learns of the ticket through an event: 404 until it has.
    const order = await persist(
      () => buyer.post('/api/orders', { ticketId: listed.body.id }),
      20_000,
      [404],
    );
    if (order.status !== 201) continue;
    if (i % ABANDON_EVERY === ABANDON_EVERY - 1) continue; // walks away: the hold must lapse
    // Payments learns of the order through an event: 404 until it has (docs/decisions).
    await persist(
      () => buyer.post('/api/payments', { orderId: order.body.id, token: 'tok_visa' }),
      WINDOW_SECONDS * 1000,
      [404],
    );
  }
}

/** A fresh purchase through the gateway, from listing to a completed charge. */
async function probePurchase(seller: ApiClient, buyer: ApiClient): Promise<boolean> {
  const listed = await seller.post('/api/tickets', ticketBody({ title: 'Probe', price: 5 }));
  if (listed.status !== 201) return false;
  const deadline = Date.now() + 15_000;
  let order: ApiResponse | undefined;
  while (Date.now() < deadline) {
    order = await buyer.post('/api/orders', { ticketId: listed.body.id });
    if (order.status !== 404) break;
    await sleep(100);
  }
  if (order?.status !== 201) return false;
  while (Date.now() < deadline + 3_000) {
    const paid = await buyer.post('/api/payments', { orderId: order.body.id, token: 'tok_visa' });
    if (paid.status === 201) return true;
    if (paid.status !== 404) return false;
    await sleep(100);
  }
  return false;
}

interface FaultResult {
  name: string;
  fiveXx: number;
  networkErrors: number;
  requests: number;
  recoveryMs: number;
}

describe.skipIf(!ownServersAvailable())(
  'fault suite: the distributed topology survives the loss of any server',
  () => {
    const prefix = `faults_${randomBytes(3).toString('hex')}`;
    const logDir = `.test-output/${prefix}`;
    let pg: OwnServer | undefined;
    let nats: OwnServer | undefined;
    let redis: OwnServer | undefined;
    let topology: Topology | undefined;
    /** The topology's restarts, printed with the figures. */
    const events: string[] = [];
    let passed = false;

    beforeAll(async () => {
      [pg, nats, redis] = await Promise.all([startOwnPostgres(), startOwnNats(), startOwnRedis()]);
      topology = await startTopology({
        postgresUrl: pg.url,
        natsUrl: nats.url,
        redisUrl: redis.url,
        jwtKey: TEST_JWT_KEY,
        dbPrefix: prefix,
        replicas: 2,
        gatewayPort: 0,
        // Ten processes starting on two busy cores can take a while.
        readyTimeoutMs: 180_000,
        services: SERVICES.filter((s) => !s.client),
        env: {
          LOG_LEVEL: 'warn',
          RESERVATION_WINDOW_SECONDS: String(WINDOW_SECONDS),
          EXPIRATION_SWEEP_SECONDS: '3',
          RECONCILE_INTERVAL_SECONDS: '2',
        },
        logDir,
        report: (message) => events.push(`${new Date().toISOString()} ${message}`),
      });
    }, 400_000);

    afterAll(async () => {
      await topology?.stop().catch(() => undefined);
      await Promise.all([pg?.remove(), nats?.remove(), redis?.remove()]);
      // The processes' logs stay for a failed run.
      if (passed) await rm(logDir, { recursive: true, force: true }).catch(() => undefined);
    }, 60_000);

    it('when NATS, Redis, PostgreSQL and replicas fail during purchases, then nothing is lost, sold twice or left reserved, and every process comes back', async () => {
      const url = topology!.url;
      const seller = await recordingClient(url, 'Seller');
      const buyers = await Promise.all(
        Array.from({ length: BUYERS }, (_, i) => recordingClient(url, `Buyer${i}`)),
      );
      const prober = await signedUpClient(url, 'Prober');
      const probeSeller = await signedUpClient(url, 'ProbeSeller');

      let stopping = false;
      const workload = Promise.all(
        buyers.map((buyer, n) => buyerLoop(seller, buyer, n, () => stopping)),
      );

      const killedReplicas: Replica[] = [];
      const killReplica = async (name: string, index: number) => {
        const replica = topology!.of(name)[index]!;
        killedReplicas.push(replica);
        process.kill(replica.pid!, 'SIGKILL');
        await sleep(OUTAGE_MS);
      };
      const faults: { name: string; inject: () => Promise<void> }[] = [
        {
          name: 'NATS kill -9, restart',
          inject: async () => {
            await nats!.kill();
            await sleep(OUTAGE_MS);
            await nats!.start();
          },
        },
        {
          name: 'NATS SIGSTOP, SIGCONT',
          inject: async () => {
            nats!.pause();
            await sleep(OUTAGE_MS);
            nats!.resume();
          },
        },
        {
          name: 'Redis kill -9, restart empty',
          inject: async () => {
            await redis!.kill();
            await sleep(OUTAGE_MS);
            await redis!.start();
          },
        },
        {
          name: 'PostgreSQL stop -m immediate, start',
          inject: async () => {
            await pg!.kill();
            await sleep(OUTAGE_MS);
            await pg!.start();
          },
        },
        { name: 'orders#0 kill -9', inject: () => killReplica('orders', 0) },
        { name: 'payments#1 kill -9', inject: () => killReplica('payments', 1) },
        { name: 'expiration#0 kill -9', inject: () => killReplica('expiration', 0) },
      ];

      const results: FaultResult[] = [];
      await sleep(3_000); // the workload under way
      for (const fault of faults) {
        const start = Date.now();
        await fault.inject();
        const back = Date.now();
        let recovered = Infinity;
        while (Date.now() - back < RECOVERY_LIMIT_MS) {
          if (await probePurchase(probeSeller, prober).catch(() => false)) {
            recovered = Date.now();
            break;
          }
          await sleep(200);
        }
        const during = answers.filter((a) => a.at >= start && a.at <= recovered);
        results.push({
          name: fault.name,
          fiveXx: during.filter((a) => a.status >= 500).length,
          networkErrors: during.filter((a) => a.status === 0).length,
          requests: during.length,
          recoveryMs: recovered - back,
        });
        await sleep(2_000);
      }
      const lastRecovery = Date.now();

      // A quiet stretch after the last fault: nothing may fail any more.
      await sleep(5_000);
      stopping = true;
      await workload;
      const afterRecovery = answers.filter((a) => a.at > lastRecovery + 1_000);

      console.log(
        [
          `fault suite: ${answers.length} requests, ${WINDOW_SECONDS} s window, ${BUYERS} buyers`,
          'fault                                 | requests | 5xx | net errors | recovery',
          ...results.map(
            (r) =>
              `${r.name.padEnd(37)} | ${String(r.requests).padStart(8)} | ${String(r.fiveXx).padStart(3)} | ${String(r.networkErrors).padStart(10)} | ${Number.isFinite(r.recoveryMs) ? `${(r.recoveryMs / 1000).toFixed(1)} s` : 'never'}`,
          ),
        ].join('\n'),
      );

      console.log(events.join('\n'));

      // Every killed process is back: the servers answer and every replica is running and ready.
      for (const server of [pg!, nats!, redis!]) expect(server.pid(), server.name).toBeDefined();
      for (const replica of killedReplicas)
        expect(replica.restarts, replica.label).toBeGreaterThan(0);
      // A restart on two busy cores can take a while: each replica gets up to three minutes.
      for (const replica of topology!.replicas) {
        const ready = await eventually(
          () =>
            fetch(`http://127.0.0.1:${replica.port}/readyz`).then(
              (r) => r.status,
              () => 0,
            ),
          (status) => status === 200,
          180_000,
        ).catch(() => 0);
        expect(ready, `${replica.label} ready`).toBe(200);
      }
      for (const r of results)
        expect(r.recoveryMs, `${r.name} recovered`).toBeLessThan(RECOVERY_LIMIT_MS);
      expect(
        afterRecovery.filter((a) => a.status >= 500 || a.status === 0),
        'no 5xx after recovery',
      ).toEqual([]);

      // Holds lapse within the window plus the sweep, and events settle: then every invariant.
      let violations: Violations = {};
      const deadline = Date.now() + (WINDOW_SECONDS + 30) * 1000;
      for (;;) {
        violations = await checkInvariants({
          postgresUrl: pg!.url,
          natsUrl: nats!.url,
          prefix,
          api: url,
          buyers,
        });
        if (Object.keys(violations).length === 0 || Date.now() > deadline) break;
        await sleep(2_000);
      }
      expect(violations).toEqual({});
      passed = true;
    }, 900_000);
  },
);
