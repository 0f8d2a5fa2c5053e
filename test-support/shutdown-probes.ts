import { Agent, request } from 'node:http';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { natsNames, natsSubject } from '@ticketing/common/nats';
import { NATS_URL } from './servers.js';

/** What one request of a stream under shutdown got: an answer, or the connection's error. */
export type RawAnswer =
  { status: number; text: string; body?: unknown } | { connectionError: string };

/**
 * A JSON POST over `agent` (so the test decides about keep-alive): the answer, or the connection
 * error when none came. A response whose body is cut short is an answer with `text` ending in
 * ` [cut]` (its JSON will not parse): the SIGTERM tests count those as broken.
 *
 * `headers`: e.g. `{ cookie }` or `{ authorization: 'Bearer …' }`.
 */
export function rawPost(
  agent: Agent,
  url: string,
  headers: Record<string, string>,
  payload: unknown,
): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const req = request(url, {
      method: 'POST',
      agent,
      headers: { ...headers, 'content-type': 'application/json' },
    });
    req.on('error', (error) => resolve({ connectionError: String(error) }));
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      const done = () => {
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
        resolve({ status: res.statusCode ?? 0, text: res.complete ? text : `${text} [cut]`, body });
      };
      res.on('end', done);
      res.on('aborted', done);
      res.on('error', done);
    });
    req.end(JSON.stringify(payload));
  });
}

/**
 * The ticket ids of the `ticket:created` events on a deployment's stream (`prefix`), read with a
 * durable consumer of our own that is removed afterwards; with `titlePrefix`, only those whose
 * title starts with it and a space (one test run's tickets on a shared stream).
 */
export async function ticketCreatedIds(prefix: string, titlePrefix?: string): Promise<Set<string>> {
  const nc = await connect({ servers: NATS_URL });
  const stream = natsNames(prefix).stream;
  const durable = `reader_${Math.random().toString(36).slice(2, 10)}`;
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.consumers.add(stream, {
      durable_name: durable,
      filter_subject: natsSubject(prefix, 'ticket:created'),
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
    });
    const consumer = await jetstream(nc).consumers.get(stream, durable);
    const pending = (await consumer.info()).num_pending;
    const ids = new Set<string>();
    let read = 0;
    while (read < pending) {
      const batch = await consumer.fetch({ max_messages: 500, expires: 2_000 });
      let got = 0;
      for await (const msg of batch) {
        got++;
        const data = (msg.json() as { data: { id: string; title: string } }).data;
        if (titlePrefix === undefined || data.title.startsWith(`${titlePrefix} `)) ids.add(data.id);
        msg.ack();
      }
      read += got;
      if (!got) break;
    }
    await jsm.consumers.delete(stream, durable);
    return ids;
  } finally {
    await nc.drain();
  }
}
