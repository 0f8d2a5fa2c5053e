/** One entry of the API's error shape: `{"errors":[{"message","field"?}]}`. */
export interface ErrorItem {
  message: string;
  field?: string;
}

/**
 * The base of every error the API answers with on purpose. It carries its HTTP status and knows
 * how to serialise itself; anything else that reaches the error handler is an internal error.
 */
export abstract class HttpError extends Error {
  abstract readonly status: number;

  /** `field` names the input the error is about, so a form can show it beside that field. */
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }

  serialize(): ErrorItem[] {
    return [this.field ? { message: this.message, field: this.field } : { message: this.message }];
  }
}

/** 400: invalid input, one item per invalid field. */
export class ValidationError extends HttpError {
  readonly status = 400;
  constructor(readonly items: ErrorItem[]) {
    super(items.map((i) => (i.field ? `${i.field}: ${i.message}` : i.message)).join('; '));
  }
  override serialize(): ErrorItem[] {
    return this.items;
  }
}

/** 400 without a field: a request we cannot accept, e.g. wrong credentials or unreadable JSON. */
export class BadRequestError extends HttpError {
  readonly status = 400;
}

export class NotAuthorizedError extends HttpError {
  readonly status = 401;
  constructor(message = 'Not signed in') {
    super(message);
  }
}

export class PaymentRequiredError extends HttpError {
  readonly status = 402;
  constructor(message = 'Payment declined') {
    super(message);
  }
}

export class ForbiddenError extends HttpError {
  readonly status = 403;
  constructor(message = 'Not allowed') {
    super(message);
  }
}

export class NotFoundError extends HttpError {
  readonly status = 404;
  constructor(message = 'Not found') {
    super(message);
  }
}

export class ConflictError extends HttpError {
  readonly status = 409;
}

export class PayloadTooLargeError extends HttpError {
  readonly status = 413;
  constructor(message = 'Request body is larger than 100 kB') {
    super(message);
  }
}

/** 415: a body in a media type, charset or content encoding the API does not take. */
export class UnsupportedMediaTypeError extends HttpError {
  readonly status = 415;
  constructor(message = 'Request body must be JSON (application/json, UTF-8)') {
    super(message);
  }
}

/** Any other 4xx a library raised for the client, answered with a message of our own. */
export class ClientError extends HttpError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class TooManyRequestsError extends HttpError {
  readonly status = 429;
  constructor(
    readonly retryAfterSeconds: number,
    message = 'Too many requests, try again later',
  ) {
    super(message);
  }
}
