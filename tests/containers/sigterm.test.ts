import { Agent } from 'node:http';
import { openPostgres } from '@ticketing/common/postgres';
import { describe, expect, it } from 'vitest';
import { signedUpClient } from '../../test-support/journeys.js';
import { POSTGRES_URL, uniqueName } from '../../test-support/servers.js';
import { rawPost, ticketCreatedIds } from '../../test-support/shutdown-probes.js';
import { ticketBody } from '../../test-support/tickets.js';
import { hasPodman, podman, readyPath, renderStack, waitFor200 } from './stack.js';

const stack = await renderStack();
const LOOPS = 8;
const CREATED_BEFORE_SIGTERM = 60;
const MAX_STREAM_MS = 30_000;

interface Outcome {
  title: string;
  status?: number;
  ticketId?: string;
  broken?: string;
  connectionError?: string;
}

/**
 * What a rolling update does to one pod, for real: `podman pod stop` (SIGTERM, then SIGKILL
 * after the grace period) of one tickets pod while clients keep creating tickets through the
 * gateway, which sends new requests to the other pod once this one refuses them.
 */
describe.skipIf(!hasPodman && !process.env.CI)('SIGTERM to one pod of the podman stack', () => {
  it('when one tickets pod is stopped during a stream of ticket creations, then every request is answered whole, nothing answered is lost, and the pod exits 0', async () => {
    const [victim, twin] = stack.replicas.filter((r) => r.app === 'tickets');
    expect(twin).toBeDefined();
    const seller = await signedUpClient(stack.url, 'Seller');
    const run = uniqueName('sigterm');
    const outcomes: Outcome[] = [];
    let created = 0;
    let stopping: Promise<string> | undefined;
    const started = Date.now();
    const loop = async (n: number) => {
      const agent = new Agent({ keepAlive: n % 4 !== 3, maxSockets: 1 });
      try {
        for (let i = 0; Date.now() - started < MAX_STREAM_MS; i++) {
          if (stopping && created > 2 * CREATED_BEFORE_SIGTERM) break;
          const outcome: Outcome = { title: `${run} loop ${n} ticket ${i}` };
          outcomes.push(outcome);
          const answer = await rawPost(
            agent,
            `${stack.url}/api/tickets`,
            { cookie: seller.cookie! },
            ticketBody({
              title: outcome.title,
              price: 12.5,
            }),
          );
          if ('connectionError' in answer) {
            outcome.connectionError = answer.connectionError;
            continue;
          }
          outcome.status = answer.status;
          const body = answer.body as { id?: string; title?: string } | undefined;
          if (answer.status !== 201 || body?.title !== outcome.title || !body.id) {
            outcome.broken = `${answer.status} ${answer.text}`;
          } else {
            outcome.ticketId = body.id;
            if (++created === CREATED_BEFORE_SIGTERM) {
              stopping = podman('pod', 'stop', '--time', '30', victim!.pod);
            }
          }
        }
      } finally {
        agent.destroy();
      }
    };
    try {
      await Promise.all(Array.from({ length: LOOPS }, (_, n) => loop(n)));
      expect(stopping, 'the pod was stopped mid-stream').toBeDefined();
      await stopping;

      const exitCode = (
        await podman('inspect', '--format', '{{.State.ExitCode}}', victim!.container)
      ).trim();
      const logs = await podman('logs', '--tail', '5', victim!.container);
      expect(exitCode, `exit code of the stopped container; its last lines:\n${logs}`).toBe('0');

      // Every request got a whole answer: the gateway sent it to a pod that served it.
      expect(outcomes.filter((o) => o.connectionError || o.broken)).toEqual([]);
      const ids = outcomes.map((o) => o.ticketId!);
      expect(ids.length).toBeGreaterThan(CREATED_BEFORE_SIGTERM);

      // The database holds exactly the answered tickets (nothing done without its answer), and
      // none of their events was left in the outbox.
      const db = await openPostgres(`${POSTGRES_URL}/${databaseOf('tickets')}`);
      try {
        const { rows } = await db.query<{ id: string }>(
          'SELECT id FROM tickets WHERE title LIKE $1',
          [`${run} %`],
        );
        expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort());
        const { rows: unsent } = await db.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL',
        );
        expect(unsent[0]!.n, 'events still in the outbox').toBe(0);
      } finally {
        await db.close();
      }
      const onStream = await ticketCreatedIds(stack.natsPrefix, run);
      expect(
        ids.filter((id) => !onStream.has(id)),
        'tickets whose event is not on the stream',
      ).toEqual([]);
    } finally {
      // The pod again, for the tests after this one.
      await stopping?.catch(() => undefined);
      await podman('pod', 'start', victim!.pod);
      await waitFor200(`http://127.0.0.1:${victim!.port}${readyPath(victim!)}`, 120_000);
    }
  }, 180_000);
});

const databaseOf = (app: string): string =>
  stack.databases.find((name) => name.endsWith(`_${app}`))!;
