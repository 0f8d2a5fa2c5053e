import { HttpError } from '@ticketing/common';

/** 503: the payment provider did not answer; the charge is left for the reconciler. */
export class ProviderUnavailableError extends HttpError {
  readonly status = 503;
}
