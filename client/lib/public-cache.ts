import 'server-only';

/**
 * A few seconds of memory for what the API answers every anonymous visitor alike (the ticket
 * catalogue), so that a burst of visitors to the home or a ticket page costs the API one call
 * per page and per PUBLIC_CACHE_SECONDS, not one per visitor. Concurrent misses share one call.
 * Bounded: at most MAX_ENTRIES paths, the oldest dropped first. Anything that depends on who
 * asks (a request carrying a cookie) never comes here.
 */
const TTL_MS = Math.max(0, Number(process.env.PUBLIC_CACHE_SECONDS ?? 2)) * 1000;
const MAX_ENTRIES = 500;
const PUBLIC_PATHS = /^\/api\/tickets(?:[/?]|$)/;

const entries = new Map<string, { expires: number; value: Promise<unknown> }>();

/** Whether GET `path` answers the same to every anonymous visitor. */
export const isPublicPath = (path: string): boolean => PUBLIC_PATHS.test(path);

/** `load()`'s result for `path`, from memory while fresh; a failed load is not kept. */
export function cachedPublic<T>(path: string, load: () => Promise<T>): Promise<T> {
  if (TTL_MS === 0) return load();
  const now = Date.now();
  const hit = entries.get(path);
  if (hit && hit.expires > now) return hit.value as Promise<T>;
  entries.delete(path);
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  const value = load();
  entries.set(path, { expires: now + TTL_MS, value });
  value.catch(() => {
    if (entries.get(path)?.value === value) entries.delete(path);
  });
  return value;
}
