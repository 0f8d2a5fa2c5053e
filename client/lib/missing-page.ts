import { apiOrigin } from './runtime-config';

/** What a 404 is about: each kind has its own heading, title and text (app/not-found.tsx). */
export type MissingKind = 'ticket' | 'order' | 'page';

/** The request header proxy.ts sets for app/not-found.tsx. */
export const MISSING_KIND_HEADER = 'x-missing-kind';

/** The API's ids: the loose 8-4-4-4-12 hexadecimal shape it accepts in paths. */
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Which kind of page cannot be shown at `pathname`, or null when the page should render as
 * usual. A path that is not valid percent-encoding is missing outright (never a 500); a
 * ticket or order page asks the API first, with the visitor's cookie, whether the thing exists
 * and is theirs to see. Why here and not with notFound() in the page: Next.js renders a thrown
 * notFound() as an empty shell filled in by script, so without JavaScript the 404 was blank,
 * while a request rewritten to a path with no route gets app/not-found.tsx server-rendered,
 * with status 404. An API that cannot answer leaves the page to say so itself.
 */
export async function missingPage(
  pathname: string,
  cookie: string | null,
): Promise<MissingKind | null> {
  const detail = /^\/(tickets|orders)\/([^/]*)\/?$/.exec(pathname);
  const kind: MissingKind = !detail ? 'page' : detail[1] === 'tickets' ? 'ticket' : 'order';
  let id: string;
  try {
    decodeURIComponent(pathname);
    id = decodeURIComponent(detail?.[2] ?? '');
  } catch {
    return kind;
  }
  if (!detail) return null;
  if (!ID.test(id)) return kind;
  const response = await fetch(`${apiOrigin()}/api/${detail[1]}/${id}`, {
    headers: { accept: 'application/json', ...(cookie ? { cookie } : {}) },
    cache: 'no-store',
    signal: AbortSignal.timeout(5_000),
  }).catch(() => null);
  await response?.body?.cancel().catch(() => undefined);
  // 401: a signed-out visitor, whom the order page sends to sign in; 403: another's order.
  return response && [400, 403, 404].includes(response.status) ? kind : null;
}
