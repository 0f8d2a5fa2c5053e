import { fallbackMessage, parseErrors } from './errors';
import type { ApiResult } from './types';

/**
 * A call from the browser to the same-origin public API. The session cookie travels by
 * itself (httpOnly, set by the API's own answers to sign-up and sign-in).
 */
export async function callApi<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      cache: 'no-store',
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return { ok: false, status: 0, errors: [{ message: fallbackMessage(0) }] };
  }
  const data: unknown = await response.json().catch(() => null);
  if (response.ok) return { ok: true, status: response.status, data: data as T };
  const retryAfter = Number(response.headers.get('retry-after')) || undefined;
  const errors = parseErrors(response.status, data);
  if (response.status === 429 && retryAfter) {
    errors.push({ message: `Try again in ${retryAfter} seconds.` });
  }
  return { ok: false, status: response.status, errors, retryAfter };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Only same-site paths: `?next=https://evil.example` or `/\t/evil.example` fall back to "/". */
export { safeNextPath } from './safe-next';
