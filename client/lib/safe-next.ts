/** Any origin we do not serve: what a relative path resolves against, to see where it lands. */
const PROBE = 'http://same-origin.invalid';

/**
 * Where to send the visitor after signing in: a path on this site, encoded for a `Location`
 * header, or "/" for anything else. Every redirect (server `redirect()` and browser
 * `location.assign`) goes through here.
 *
 * Browsers remove tab, CR and LF anywhere in a URL, leading controls and spaces, and read `\`
 * as `/`; `/\t/evil.example` is `//evil.example` to them, another site. So the value is
 * cleaned the same way first, then resolved against a placeholder origin: only a result still
 * on that origin is kept, re-serialised by the URL parser (non-ASCII and controls
 * percent-encoded), which a header can always hold.
 */
export function safeNextPath(next: string | null | undefined): string {
  if (typeof next !== 'string') return '/';
  // eslint-disable-next-line no-control-regex -- the characters browsers strip are the point
  const cleaned = next.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+/, '');
  const slashed = cleaned.replace(/\\/g, '/');
  if (!slashed.startsWith('/') || slashed.startsWith('//')) return '/';
  let url: URL;
  try {
    url = new URL(slashed, PROBE);
  } catch {
    return '/';
  }
  if (url.origin !== PROBE) return '/';
  return `${url.pathname}${url.search}${url.hash}` || '/';
}
