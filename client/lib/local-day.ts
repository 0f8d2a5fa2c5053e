/**
 * The storefront's date filters in the visitor's own calendar. The API reads a bare date
 * (`from=2027-05-01`) as that whole day in UTC; a visitor in Sydney or Los Angeles means their
 * own day. So the page sends the day's bounds as exact instants: `from` = the local day's first
 * millisecond, `to` = its last, in the browser's time zone (an IANA name the page's URL carries
 * as `tz`, filled in by the browser). Without a zone (no script ran) the dates go as they are and
 * mean UTC days, as the API says.
 */

const BARE_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when `zone` is an IANA time zone this runtime knows (`Europe/Paris`, `UTC`). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** How far the wall clock in `zone` is ahead of UTC at instant `t`, in milliseconds. */
function offsetAt(t: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(t));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return wall - Math.floor(t / 1000) * 1000;
}

/** The instant the day `y-m-d` begins in `zone` (two passes: right across a DST change). */
function startOfDay(y: number, m: number, d: number, zone: string): number {
  const wall = Date.UTC(y, m - 1, d);
  const first = wall - offsetAt(wall, zone);
  return wall - offsetAt(first, zone);
}

/**
 * A date filter's value as the API should get it: a bare date becomes the start (`edge`
 * `start`) or the last millisecond (`end`) of that day in `zone`, as an ISO instant; anything
 * else (a date-time, a malformed value the API will refuse, no valid zone) is left as it is.
 */
export function localDayBound(value: string, edge: 'start' | 'end', zone?: string): string {
  const match = BARE_DATE.exec(value);
  if (!match || !zone || !isTimeZone(zone)) return value;
  const [y, m, d] = match.slice(1).map(Number) as [number, number, number];
  // Not a real day (2027-02-30): left for the API to refuse, never moved to another day.
  if (new Date(Date.UTC(y, m - 1, d)).getUTCDate() !== d) return value;
  const t = edge === 'start' ? startOfDay(y, m, d, zone) : startOfDay(y, m, d + 1, zone) - 1;
  return Number.isFinite(t) ? new Date(t).toISOString() : value;
}
