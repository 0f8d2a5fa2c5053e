import type { ErrorRequestHandler, RequestHandler } from 'express';
import {
  BadRequestError,
  HttpError,
  NotFoundError,
  PayloadTooLargeError,
  TooManyRequestsError,
  UnsupportedMediaTypeError,
  ClientError,
} from '../errors/http-errors.js';
import { ServiceUnavailableError, isDatabaseUnavailable } from '../errors/unavailable.js';
import { logger } from '../observability/logger.js';

/** Unknown routes answer 404 in the API's error shape. */
export const notFoundHandler: RequestHandler = () => {
  throw new NotFoundError('Route not found');
};

/** An error a library raised on purpose for the client (http-errors: `status` 4xx, `expose`). */
interface LibraryError {
  type?: unknown;
  status?: unknown;
  statusCode?: unknown;
  expose?: unknown;
}

const STATUS_MESSAGES: Record<number, string> = {
  400: 'Malformed request',
  403: 'Not allowed',
  404: 'Not found',
  413: 'Request body is larger than 100 kB',
  415: 'Request body must be JSON (application/json, UTF-8)',
};

/**
 * Errors raised by express's body parser (by their documented `type`), the router's parameter
 * decoding (a URIError: a malformed id, hence 404 as API.md says) or any other library error
 * that carries a 4xx status. Their own messages may quote the input, so they are replaced.
 */
function fromLibrary(error: unknown): HttpError | undefined {
  if (error instanceof URIError) return new NotFoundError('Not found');
  const e = (error ?? {}) as LibraryError;
  if (e.type === 'entity.too.large') return new PayloadTooLargeError();
  if (e.type === 'entity.parse.failed') return new BadRequestError('Malformed JSON body');
  if (e.type === 'charset.unsupported')
    return new UnsupportedMediaTypeError('Request body must be UTF-8');
  if (e.type === 'encoding.unsupported')
    return new UnsupportedMediaTypeError('Unsupported Content-Encoding');
  const status = typeof e.status === 'number' ? e.status : e.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const message =
      e.type === undefined && status === 400
        ? 'Malformed request body or encoding'
        : (STATUS_MESSAGES[status] ?? 'Malformed request');
    return new ClientError(status, message);
  }
  return undefined;
}

/**
 * The one place thrown values become responses. An HttpError answers with its own status and
 * items; anything else is a 500 that shows nothing of its cause, which is logged instead.
 */
export const errorHandler: ErrorRequestHandler = (error: unknown, req, res, _next) => {
  const known =
    error instanceof HttpError
      ? error
      : isDatabaseUnavailable(error)
        ? new ServiceUnavailableError()
        : fromLibrary(error);
  if (res.headersSent) {
    req.socket.destroy();
    return;
  }
  if (known) {
    if (known instanceof TooManyRequestsError || known instanceof ServiceUnavailableError)
      res.set('Retry-After', String(known.retryAfterSeconds));
    res.status(known.status).json({ errors: known.serialize() });
    return;
  }
  // The path only: a query string can carry what a client typed (API.md keeps secrets out of logs).
  logger.error({ err: error, method: req.method, path: req.path }, 'unhandled error');
  res.status(500).json({ errors: [{ message: 'Something went wrong' }] });
};
