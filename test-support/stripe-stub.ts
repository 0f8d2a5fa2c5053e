import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  MAX_CHARGE_CENTS,
  MIN_CHARGE_CENTS,
  testCardLast4,
  testCardOutcome,
  type TestCardOutcome,
} from '@ticketing/common';

/**
 * A local HTTP server speaking the parts of Stripe's API that the Stripe adapter calls, so the
 * adapter (and the official SDK under it) is tested without an account or a network:
 *
 * - POST /v1/payment_methods (a card token becomes a PaymentMethod)
 * - POST /v1/payment_intents (create and confirm; the test cards succeed or are declined;
 *   amounts outside 0.50–999,999.99 refused as Stripe refuses them), GET /v1/payment_intents/:id;
 *   both expand `latest_charge` into a charge with `payment_method_details.card.last4` when
 *   asked (`expand[]=latest_charge`), and a card error names the card's `payment_method`
 * - POST /v1/refunds, GET /v1/refunds?payment_intent=
 *
 * Bodies are form-encoded as Stripe takes them; errors use Stripe's JSON shape and statuses
 * (a decline is a 402 `card_error`). Like Stripe, a POST with an `Idempotency-Key` seen before
 * gets the first response again (`Idempotent-Replayed: true`), and the same key with other
 * parameters is a 400 `idempotency_error`. Every request is recorded for assertions.
 */
export interface StripeStub {
  url: string;
  host: string;
  port: number;
  /** Every request received, in order. */
  requests: StubRequest[];
  requestsTo(method: string, path: string): StubRequest[];
  /** The PaymentIntents created (not the replays), in order. */
  paymentIntents(): StubPaymentIntent[];
  refunds(): StubRefund[];
  /** The next `count` requests answer 500 `api_error` without doing anything, as an outage would. */
  failNext(count?: number): void;
  close(): Promise<void>;
}

export interface StubRequest {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
  params: Record<string, any>;
  status: number;
  replayed: boolean;
}

export interface StubPaymentIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  currency: string;
  status: 'succeeded' | 'requires_payment_method' | 'requires_confirmation';
  payment_method: string | null;
  latest_charge: string | null;
  metadata: Record<string, string>;
  last_payment_error: Record<string, unknown> | null;
  amount_refunded: number;
  created: number;
  livemode: false;
}

export interface StubRefund {
  id: string;
  object: 'refund';
  amount: number;
  currency: string;
  payment_intent: string;
  charge: string | null;
  status: 'succeeded';
  created: number;
}

interface Reply {
  status: number;
  body: unknown;
}

export const STUB_SECRET_KEY = 'sk_test_stub_0123456789';

export async function startStripeStub(options: { secretKey?: string } = {}): Promise<StripeStub> {
  const secretKey = options.secretKey ?? STUB_SECRET_KEY;
  const requests: StubRequest[] = [];
  const saved = new Map<string, { fingerprint: string; reply: Reply }>();
  const intents = new Map<string, StubPaymentIntent>();
  const refunds = new Map<string, StubRefund>();
  /** PaymentMethods made from tokens: what each one will do when charged. */
  const methods = new Map<string, { outcome: TestCardOutcome; last4: string }>();
  /** The charges of succeeded PaymentIntents, by id, as `expand[]=latest_charge` shows them. */
  const charges = new Map<string, Record<string, unknown>>();
  let failures = 0;
  let seq = 0;
  const nextId = (prefix: string) => `${prefix}_stub${String(++seq).padStart(8, '0')}`;
  const now = () => Math.floor(Date.now() / 1000);

  const error = (
    status: number,
    type: string,
    message: string,
    extra: Record<string, unknown> = {},
  ): Reply => ({ status, body: { error: { type, message, ...extra } } });

  const outcomeOf = (paymentMethod: string): TestCardOutcome | undefined =>
    methods.get(paymentMethod)?.outcome ??
    (paymentMethod.startsWith('pm_card_') ? testCardOutcome(paymentMethod) : undefined);
  const last4Of = (paymentMethod: string): string =>
    methods.get(paymentMethod)?.last4 ?? testCardLast4(paymentMethod) ?? '0000';
  const paymentMethodObject = (id: string) => ({
    id,
    object: 'payment_method',
    type: 'card',
    card: { last4: last4Of(id), brand: 'visa' },
  });

  /** The intent as answered: its latest charge expanded when the request asked for it. */
  const shown = (intent: StubPaymentIntent, params: Record<string, any>) => {
    const expand: unknown = params.expand;
    const wanted = Array.isArray(expand) && expand.includes('latest_charge');
    return wanted && intent.latest_charge
      ? { ...intent, latest_charge: charges.get(intent.latest_charge) }
      : intent;
  };

  function createPaymentMethod(params: Record<string, any>): Reply {
    if (params.type !== 'card') {
      return error(400, 'invalid_request_error', 'The stub only makes card PaymentMethods', {
        param: 'type',
      });
    }
    const token: unknown = params.card?.token;
    const outcome = typeof token === 'string' ? testCardOutcome(token) : undefined;
    if (!outcome || !String(token).startsWith('tok_')) {
      return error(400, 'invalid_request_error', `No such token: '${String(token)}'`, {
        code: 'resource_missing',
        param: 'card[token]',
      });
    }
    const id = nextId('pm');
    methods.set(id, { outcome, last4: testCardLast4(String(token))! });
    return {
      status: 200,
      body: { id, object: 'payment_method', type: 'card', created: now(), livemode: false },
    };
  }

  function createPaymentIntent(params: Record<string, any>): Reply {
    const amount = Number(params.amount);
    if (!Number.isInteger(amount) || amount < 1) {
      return error(400, 'invalid_request_error', 'Invalid positive integer', {
        code: 'parameter_invalid_integer',
        param: 'amount',
      });
    }
    if (amount < MIN_CHARGE_CENTS) {
      return error(400, 'invalid_request_error', 'Amount must be at least $0.50 usd', {
        code: 'amount_too_small',
        param: 'amount',
      });
    }
    if (amount > MAX_CHARGE_CENTS) {
      return error(400, 'invalid_request_error', 'Amount must be no more than $999,999.99', {
        code: 'amount_too_large',
        param: 'amount',
      });
    }
    if (typeof params.currency !== 'string' || !params.currency) {
      return error(400, 'invalid_request_error', 'Missing required param: currency.', {
        code: 'parameter_missing',
        param: 'currency',
      });
    }
    const paymentMethod = typeof params.payment_method === 'string' ? params.payment_method : null;
    const outcome = paymentMethod ? outcomeOf(paymentMethod) : undefined;
    if (paymentMethod && !outcome) {
      return error(400, 'invalid_request_error', `No such PaymentMethod: '${paymentMethod}'`, {
        code: 'resource_missing',
        param: 'payment_method',
      });
    }
    const intent: StubPaymentIntent = {
      id: nextId('pi'),
      object: 'payment_intent',
      amount,
      currency: params.currency,
      status: 'requires_confirmation',
      payment_method: paymentMethod,
      latest_charge: null,
      metadata: params.metadata ?? {},
      last_payment_error: null,
      amount_refunded: 0,
      created: now(),
      livemode: false,
    };
    intents.set(intent.id, intent);
    if (params.confirm !== 'true' || !outcome) {
      if (!outcome) intent.status = 'requires_payment_method';
      return { status: 200, body: intent };
    }
    if (outcome.succeeds) {
      intent.status = 'succeeded';
      intent.latest_charge = nextId('ch');
      charges.set(intent.latest_charge, {
        id: intent.latest_charge,
        object: 'charge',
        amount,
        currency: intent.currency,
        payment_intent: intent.id,
        status: 'succeeded',
        payment_method: paymentMethod,
        payment_method_details: { type: 'card', card: { last4: last4Of(paymentMethod!) } },
      });
      return { status: 200, body: shown(intent, params) };
    }
    const cardError = {
      type: 'card_error',
      code: outcome.code,
      decline_code: outcome.declineCode,
      message: outcome.message,
      charge: nextId('ch'),
    };
    intent.status = 'requires_payment_method';
    intent.last_payment_error = cardError;
    return error(402, 'card_error', outcome.message, {
      code: outcome.code,
      decline_code: outcome.declineCode,
      charge: cardError.charge,
      payment_intent: intent,
      payment_method: paymentMethodObject(paymentMethod!),
    });
  }

  function createRefund(params: Record<string, any>): Reply {
    const intent = intents.get(String(params.payment_intent));
    if (!intent) {
      return error(
        404,
        'invalid_request_error',
        `No such payment_intent: '${params.payment_intent}'`,
        {
          code: 'resource_missing',
          param: 'payment_intent',
        },
      );
    }
    if (intent.status !== 'succeeded') {
      return error(
        400,
        'invalid_request_error',
        'This PaymentIntent has no successful charge to refund.',
        {
          code: 'charge_not_refundable',
        },
      );
    }
    if (intent.amount_refunded >= intent.amount) {
      return error(
        400,
        'invalid_request_error',
        `Charge ${intent.latest_charge} has already been refunded.`,
        {
          code: 'charge_already_refunded',
        },
      );
    }
    const refund: StubRefund = {
      id: nextId('re'),
      object: 'refund',
      amount: intent.amount,
      currency: intent.currency,
      payment_intent: intent.id,
      charge: intent.latest_charge,
      status: 'succeeded',
      created: now(),
    };
    intent.amount_refunded = intent.amount;
    refunds.set(refund.id, refund);
    return { status: 200, body: refund };
  }

  function route(method: string, path: string, params: Record<string, any>): Reply {
    if (method === 'POST' && path === '/v1/payment_methods') return createPaymentMethod(params);
    if (method === 'POST' && path === '/v1/payment_intents') return createPaymentIntent(params);
    if (method === 'POST' && path === '/v1/refunds') return createRefund(params);
    const intentPath = /^\/v1\/payment_intents\/([^/]+)$/.exec(path);
    if (method === 'GET' && intentPath) {
      const intent = intents.get(decodeURIComponent(intentPath[1]!));
      return intent
        ? { status: 200, body: shown(intent, params) }
        : error(404, 'invalid_request_error', `No such payment_intent: '${intentPath[1]}'`, {
            code: 'resource_missing',
          });
    }
    if (method === 'GET' && path === '/v1/refunds') {
      const data = [...refunds.values()]
        .filter((r) => !params.payment_intent || r.payment_intent === params.payment_intent)
        .reverse();
      return {
        status: 200,
        body: { object: 'list', url: '/v1/refunds', has_more: false, data },
      };
    }
    return error(404, 'invalid_request_error', `Unrecognized request URL (${method}: ${path}).`);
  }

  function answer(request: StubRequest, authorization: string | undefined): Reply {
    if (authorization !== `Bearer ${secretKey}`) {
      return error(401, 'invalid_request_error', 'Invalid API Key provided.');
    }
    if (failures > 0) {
      failures -= 1;
      return error(500, 'api_error', 'The stub was told to fail this request.');
    }
    const { method, path, idempotencyKey: key, params } = request;
    if (method !== 'POST' || !key) return route(method, path, params);
    const fingerprint = JSON.stringify([method, path, params]);
    const first = saved.get(key);
    if (!first) {
      const reply = route(method, path, params);
      saved.set(key, { fingerprint, reply });
      return reply;
    }
    if (first.fingerprint !== fingerprint) {
      return error(
        400,
        'idempotency_error',
        `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
      );
    }
    request.replayed = true;
    return first.reply;
  }

  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const url = new URL(req.url ?? '/', 'http://stub');
      const method = req.method ?? 'GET';
      const request: StubRequest = {
        method,
        path: url.pathname,
        idempotencyKey: req.headers['idempotency-key'] as string | undefined,
        params: parseForm(method === 'GET' ? url.searchParams : new URLSearchParams(body)),
        status: 0,
        replayed: false,
      };
      requests.push(request);
      const reply = answer(request, req.headers.authorization);
      request.status = reply.status;
      res.writeHead(reply.status, {
        'content-type': 'application/json',
        'request-id': `req_stub${requests.length}`,
        ...(request.replayed && { 'idempotent-replayed': 'true' }),
      });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    host: '127.0.0.1',
    port,
    requests,
    requestsTo: (method, path) => requests.filter((r) => r.method === method && r.path === path),
    paymentIntents: () => [...intents.values()],
    refunds: () => [...refunds.values()],
    failNext(count = 1) {
      failures += count;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Stripe's form encoding: `card[token]=tok_visa&metadata[orderId]=…&types[0]=card`. */
function parseForm(params: URLSearchParams): Record<string, any> {
  const root: Record<string, any> = {};
  for (const [key, value] of params) {
    const [head, ...rest] = key.split('[').map((part) => part.replace(/\]$/, ''));
    const path = [head!, ...rest];
    let node = root;
    path.forEach((segment, i) => {
      if (i === path.length - 1) node[segment] = value;
      else node = node[segment] ??= {};
    });
  }
  return arraysFromIndexes(root) as Record<string, any>;
}

function arraysFromIndexes(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).map(([k, v]) => [k, arraysFromIndexes(v)] as const);
  if (entries.length && entries.every(([k]) => /^\d+$/.test(k))) {
    return entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, v]) => v);
  }
  return Object.fromEntries(entries);
}
