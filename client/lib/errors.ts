import type { ApiError, SplitErrors } from './types';

/** Reads the API's error body, whatever arrives (an HTML error page from a proxy, nothing). */
export function parseErrors(status: number, body: unknown): ApiError[] {
  const errors = (body as { errors?: unknown } | null)?.errors;
  if (Array.isArray(errors)) {
    const valid = errors.filter(
      (e): e is ApiError => typeof e === 'object' && e !== null && typeof e.message === 'string',
    );
    if (valid.length > 0) return valid;
  }
  return [{ message: fallbackMessage(status) }];
}

export function fallbackMessage(status: number): string {
  if (status === 0) return 'Could not reach the server. Check your connection and try again.';
  if (status === 401) return 'Please sign in to continue.';
  if (status === 404) return 'Not found.';
  if (status === 429) return 'Too many attempts. Please wait a moment and try again.';
  if (status >= 500) return 'Something went wrong on our side. Please try again.';
  return 'The request could not be completed.';
}

/**
 * Splits errors into those shown next to a field of this form and the rest, shown at the top.
 * An error for a field the form does not have is shown at the top too, so none is lost.
 */
export function splitErrors(errors: ApiError[], fields: readonly string[]): SplitErrors {
  const byField: Record<string, string> = {};
  const general: string[] = [];
  for (const error of errors) {
    if (error.field && fields.includes(error.field) && !byField[error.field]) {
      byField[error.field] = error.message;
    } else {
      general.push(error.message);
    }
  }
  return { byField, general };
}

/** A form with nothing to report (one object shared by every form: never changed in place). */
export const noErrors: SplitErrors = { byField: {}, general: [] };
