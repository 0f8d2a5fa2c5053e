import { spawn, execFileSync } from 'node:child_process';
import { Agent } from 'node:http';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { signSession } from '@ticketing/common';
import { openPostgres } from '@ticketing/common/postgres';
import { afterAll, describe, expect, it } from 'vitest';
import {
  NATS_URL,
  deleteNatsStreams,
  dropDatabase,
  hasNats,
  hasPostgres,
  uniqueDatabaseUrl,
  uniqueName,
} from '../../test-support/servers.js';
import { TEST_JWT_KEY } from '../../test-support/service-harness.js';
import { rawPost, ticketCreatedIds } from '../../test-support/shutdown-probes.js';
import { REPO } from './lib/manifests.js';

/**
 * What a rolling update does to a pod: SIGTERM while requests keep coming. The tickets service
 * runs as its container does (`node apps/service/dist/tickets-main.js`, on PostgreSQL and NATS);
 * clients keep creating tickets, over kept-alive connections and fresh ones, until the server
 * stops answering them, as a client would retry elsewhere. Then: every request that got a
 * response got a whole one, no request was carried out without its answer, every created
 * ticket's ticket:created event is on the stream, and the process exits 0 (the drain beat the
 * SHUTDOWN_GRACE_MS deadline, after which it would exit 1).
 */

const GRACE_MS = 10_000;
const LOOPS = 12;
/** Bounds of the request stream: it stops by itself whatever the server does. */
const MAX_REQUESTS_PER_LOOP = 1_000;
const MAX_STREAM_MS = 40_000;
const CREATED_BEFORE_SIGTERM = 150;

interface Outcome {
  title: string;
  status?: number;
  ticketId?: string;
  /** A response whose body did not arrive whole, or was not the created ticket. */
  broken?: string;
  /** No response at all (connection refused or closed before an answer). */
  connectionError?: string;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe.skipIf(!hasPostgres || !hasNats)('graceful shutdown of a service container', () => {
  const prefix = uniqueName('sigterm');
  const databaseUrl = uniqueDatabaseUrl('sigterm');

  afterAll(async () => {
    await dropDatabase(databaseUrl);
    await deleteNatsStreams(prefix);
  }, 60_000);

  it('when SIGTERM arrives during a stream of ticket creations, then requests in flight finish whole, no event is lost and the process exits 0 within SHUTDOWN_GRACE_MS', async () => {
    execFileSync('npx', ['tsc', '-b', 'services/tickets'], { cwd: REPO, stdio: 'pipe' });
    const port = await freePort();
    const logDir = join(REPO, '.test-output', 'deploy');
    mkdirSync(logDir, { recursive: true });
    const logFile = join(logDir, 'sigterm-tickets.log');
    const log = createWriteStream(logFile);
    const child = spawn(process.execPath, [join(REPO, 'apps/service/dist/tickets-main.js')], {
      cwd: REPO,
      env: {
        PATH: process.env.PATH,
        PORT: String(port),
        DATABASE_URL: databaseUrl,
        NATS_URL,
        NATS_PREFIX: prefix,
        JWT_KEY: TEST_JWT_KEY,
        SHUTDOWN_GRACE_MS: String(GRACE_MS),
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
    const base = `http://127.0.0.1:${port}`;
    try {
      const deadline = Date.now() + 60_000;
      while (
        (await fetch(`${base}/readyz`).then(
          (r) => r.status,
          () => 0,
        )) !== 200
      ) {
        expect(child.exitCode, readFileSync(logFile, 'utf8')).toBeNull();
        expect(Date.now() < deadline, 'ready within 60 s').toBe(true);
        await new Promise((r) => setTimeout(r, 100));
      }

      const token = await signSession(
        { id: randomUUID(), email: 'seller@example.com', name: 'Seller' },
        TEST_JWT_KEY,
        3_600,
      );
      const outcomes: Outcome[] = [];
      let created = 0;
      let signalled: number | undefined;
      const streamStart = Date.now();
      const loop = async (n: number) => {
        // Like the ingress, most clients keep one connection alive and send every request on
        // it; some open a new connection for each request.
        const keepAlive = n % 4 !== 3;
        const agent = new Agent({ keepAlive, maxSockets: 1 });
        try {
          for (
            let i = 0;
            i < MAX_REQUESTS_PER_LOOP && Date.now() - streamStart < MAX_STREAM_MS;
            i++
          ) {
            const outcome: Outcome = { title: `loop ${n} ticket ${i}` };
            outcomes.push(outcome);
            const answer = await rawPost(
              agent,
              `${base}/api/tickets`,
              { authorization: `Bearer ${token}` },
              {
                title: outcome.title,
                price: 12.5,
                venue: 'Town Hall',
                startsAt: new Date(Date.now() + 7 * 24 * 3600_000).toISOString(),
              },
            );
            if ('connectionError' in answer) {
              outcome.connectionError = answer.connectionError;
              return; // this server is gone for this client: it would go to another replica
            }
            outcome.status = answer.status;
            const body = answer.body as { id?: string; title?: string } | undefined;
            if (answer.status !== 201 || body?.title !== outcome.title || !body.id) {
              outcome.broken = `${answer.status} ${answer.text}`;
            } else {
              outcome.ticketId = body.id;
              if (++created === CREATED_BEFORE_SIGTERM) {
                signalled = Date.now();
                child.kill('SIGTERM');
              }
            }
          }
        } finally {
          agent.destroy();
        }
      };
      await Promise.all(Array.from({ length: LOOPS }, (_, n) => loop(n)));
      expect(signalled, 'SIGTERM was sent mid-stream').toBeDefined();

      const [code, signal] = await Promise.race([
        exited,
        new Promise<[string, null]>((r) =>
          setTimeout(() => r(['still running', null]), 3 * GRACE_MS),
        ),
      ]);
      const lines = readFileSync(logFile, 'utf8').trim().split('\n');
      const stop = lines.findIndex((l) => l.includes('shutting down'));
      const servedAfter = lines.slice(stop).filter((l) => l.includes('request completed')).length;
      const story = [
        `${servedAfter} requests served after SIGTERM`,
        ...lines.filter((l) => !l.includes('request completed')).slice(-10),
      ].join('\n');
      expect({ code, signal }, `exit after SIGTERM; ${story}`).toEqual({
        code: 0,
        signal: null,
      });

      // Every answer was whole; requests kept coming after SIGTERM, and were served or refused.
      const answered = outcomes.filter((o) => o.status !== undefined);
      expect(outcomes.filter((o) => o.broken).map((o) => `${o.title}: ${o.broken}`)).toEqual([]);
      const ids = answered.map((o) => o.ticketId!);
      expect(ids.length).toBeGreaterThanOrEqual(CREATED_BEFORE_SIGTERM);
      expect(
        outcomes.filter((o) => o.connectionError).length,
        'clients were turned away',
      ).toBeGreaterThan(0);

      // Nothing was done without its answer: the database holds exactly the answered tickets,
      // and none of their events was left behind in the outbox.
      const db = await openPostgres(databaseUrl);
      try {
        const { rows } = await db.query<{ id: string }>('SELECT id FROM tickets');
        expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort());
        const { rows: unsent } = await db.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL',
        );
        expect(unsent[0]!.n, 'events still in the outbox after the process exited').toBe(0);
      } finally {
        await db.close();
      }

      // And each ticket's ticket:created event is on the stream, read by a durable consumer.
      const onStream = await ticketCreatedIds(prefix);
      expect(
        ids.filter((id) => !onStream.has(id)),
        'tickets whose event is not on the stream',
      ).toEqual([]);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      log.end();
    }
  }, 240_000);
});
