import 'server-only';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { parseErrors } from './errors';
import { cachedPublic, isPublicPath } from './public-cache';
import { apiOrigin } from './runtime-config';
import type { ApiResult, CurrentUserBody, User } from './types';

/**
 * A GET to the public API during server-side rendering, as the visitor: their cookie header
 * is forwarded, so a signed-in visitor's first load is already rendered signed in.
 * A 4xx comes back as a result for the page to handle (404 → notFound, 401 → sign in);
 * an unreachable API or a 5xx throws, for the nearest error boundary.
 */
export async function apiGet<T>(path: string): Promise<ApiResult<T>> {
  const incoming = await headers();
  const forwarded: Record<string, string> = { accept: 'application/json' };
  const cookie = incoming.get('cookie');
  if (cookie) forwarded.cookie = cookie;
  const requestId = incoming.get('x-request-id');
  if (requestId) forwarded['x-request-id'] = requestId;
  // An anonymous visitor sees the catalogue as every other one does: a few seconds' cache.
  if (!cookie && isPublicPath(path)) return cachedPublic(path, () => fetchApi<T>(path, forwarded));
  return fetchApi<T>(path, forwarded);
}

async function fetchApi<T>(path: string, forwarded: Record<string, string>): Promise<ApiResult<T>> {
  const response = await fetch(`${apiOrigin()}${path}`, {
    headers: forwarded,
    cache: 'no-store',
    signal: AbortSignal.timeout(10_000),
  });
  const body: unknown = await response.json().catch(() => null);
  if (response.status >= 500) {
    throw new Error(`The API answered ${response.status} to GET ${path}`);
  }
  if (!response.ok) {
    return { ok: false, status: response.status, errors: parseErrors(response.status, body) };
  }
  return { ok: true, status: response.status, data: body as T };
}

/** The signed-in visitor, or null; asked once per request however many components need it. */
export const getCurrentUser = cache(async (): Promise<User | null> => {
  // The session lives in a cookie: without any cookie there is nobody to ask about.
  if (!(await headers()).get('cookie')) return null;
  const result = await apiGet<CurrentUserBody>('/api/users/currentuser');
  return result.ok ? result.data.currentUser : null;
});

/** The signed-in visitor; a signed-out one is sent to sign in and brought back afterwards. */
export async function requireUser(returnTo: string): Promise<User> {
  const user = await getCurrentUser();
  if (!user) redirect(`/signin?next=${encodeURIComponent(returnTo)}`);
  return user;
}
