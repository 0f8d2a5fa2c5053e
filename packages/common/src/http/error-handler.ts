import type { ErrorRequestHandler, RequestHandler } from 'express';
import {
  BadRequestError,
  HttpError,
  NotFoundError,
  PayloadTooLargeError,
  TooManyRequestsError,
} from '../errors/http-errors.js';
import { ServiceUnavailableError, isDatabaseUnavailable } from '../errors/unavailable.js';
import { logger } from '../observability/logger.js';

/** Unknown routes answer 404 in the API's error shape. */
export const notFoundHandler: RequestHandler = () => {
  throw new NotFoundError('Route not found');
};

/** Errors raised by express's body parser, by their documented `type`. */
function fromBodyParser(error: { type?: unknown }): HttpError | undefined {
  if (error.type === 'entity.too.large') return new PayloadTooLargeError();
  if (error.type === 'entity.parse.failed') return new BadRequestError('Malformed JSON body');
  if (typeof error.type === 'string' && error.type.startsWith('encoding.'))
    return new BadRequestError('Unsupported body encoding');
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
        : fromBodyParser((error ?? {}) as { type?: unknown });
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
  logger.error({ err: error, method: req.method, url: req.originalUrl }, 'unhandled error');
  res.status(500).json({ errors: [{ message: 'Something went wrong' }] });
};
