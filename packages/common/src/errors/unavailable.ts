import { HttpError } from './http-errors.js';

/**
 * 503: a dependency (the database) cannot be reached right now. The request may well succeed
 * in a few seconds, which `Retry-After` tells clients and proxies.
 */
export class ServiceUnavailableError extends HttpError {
  readonly status = 503;
  constructor(
    readonly retryAfterSeconds = 3,
    message = 'The service is briefly unavailable; try again in a few seconds',
  ) {
    super(message);
  }
}

/** Socket errors of a connection that could not be made or was lost. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * PostgreSQL's SQLSTATEs for a server that is going away or not accepting connections yet:
 * class 08 (connection exception), admin/crash shutdown, "the database system is starting up",
 * too many connections.
 */
const UNAVAILABLE_SQLSTATE = /^(08...|57P01|57P02|57P03|53300)$/;

/** What node-postgres says when the server goes away under a client, or a connect times out. */
const PG_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
];

/**
 * Whether `error` means the database cannot be reached at the moment (as opposed to a bug or a
 * bad query): such errors answer 503 with Retry-After rather than 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code)))
    return true;
  if (error instanceof AggregateError) return error.errors.some(isDatabaseUnavailable);
  return PG_MESSAGES.some((m) => error.message.startsWith(m));
}
