import { pino, type Logger } from 'pino';
import { currentContext } from './request-context.js';

/**
 * Structured JSON logs. Every line written inside a request or an event handler carries that
 * request's id and trace id, taken from the async context, so one purchase can be followed
 * across services with a single grep.
 */
/** Keys whose values are secrets wherever they appear (top level or one object down). */
const SECRET_KEYS = [
  'password',
  'currentPassword',
  'newPassword',
  'passwordHash',
  'password_hash',
  'hash',
  'token',
  'accessToken',
  'refreshToken',
  'resetToken',
  'jwt',
  'session',
  'cookie',
  'cookies',
  'authorization',
  'set-cookie',
  'card',
  'cardNumber',
  'number',
  'cvc',
  'code',
  'ticketCode',
];

/**
 * What a logged error keeps: what it is and where it came from, never what it was given. A
 * driver's error can carry the query's parameters (a password hash, a card number given as a
 * payment token) or `detail` quoting a row; a provider's error can carry the raw request.
 */
function serializeError(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error) && (typeof error !== 'object' || error === null)) return error;
  const e = error as Error & Record<string, unknown>;
  const kept: Record<string, unknown> = {
    type: e.constructor?.name ?? 'Error',
    message: typeof e.message === 'string' ? e.message : undefined,
    stack: typeof e.stack === 'string' ? e.stack : undefined,
  };
  for (const key of ['code', 'constraint', 'table', 'column', 'routine', 'status', 'statusCode'])
    if (typeof e[key] === 'string' || typeof e[key] === 'number') kept[key] = e[key];
  if (e.cause !== undefined && depth < 3) kept.cause = serializeError(e.cause, depth + 1);
  return kept;
}

export const logger: Logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
  base: { pid: process.pid },
  serializers: { err: serializeError, error: serializeError },
  // A second net under the serializers: a secret passed by mistake under a known name is
  // replaced, at the top level and one object down (`{ user: { password } }`).
  redact: {
    // `code` one level down is an error's code (`err.code: '23505'`), kept; a ticket's code is
    // only ever logged at the top level or under `ticket`.
    paths: [
      ...SECRET_KEYS,
      ...SECRET_KEYS.filter((k) => k !== 'code').map((k) => `*.${k}`),
      'ticket.code',
    ].map((k) =>
      /^[\w*.]+$/.test(k)
        ? k
        : k.replace(
            /^(\*\.)?(.*)$/,
            (_m, star: string, name: string) => `${star ?? ''}["${name}"]`,
          ),
    ),
    censor: '[redacted]',
  },
  mixin() {
    const ctx = currentContext();
    return ctx ? { requestId: ctx.requestId, traceId: ctx.traceId } : {};
  },
});

export type { Logger };
