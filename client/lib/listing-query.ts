import type { ListingQuery, TicketFilters } from './types';

/** Tickets on one page of the list. */
export const PAGE_SIZE = 12;

const FILTERS = [
  'q',
  'sort',
  'minPrice',
  'maxPrice',
  'from',
  'to',
  'tz',
] as const satisfies readonly (keyof TicketFilters)[];

/**
 * The home page's address read as a query: each filter trimmed (at most 200 characters),
 * the default order and a zone without dates left out, control characters (a %00 in the
 * address) taken out of the search, which no title can hold, and the page a whole number ≥ 1.
 */
export function readListingQuery(
  params: Record<string, string | string[] | undefined>,
): ListingQuery {
  const filters: TicketFilters = {};
  for (const name of FILTERS) {
    const value = params[name];
    if (typeof value === 'string' && value.trim()) filters[name] = value.trim().slice(0, 200);
  }
  if (filters.sort === 'newest') delete filters.sort;
  const typed = filters.q ?? '';
  const q = typed.replace(/\p{Cc}/gu, '').trim();
  if (q) filters.q = q;
  else delete filters.q;
  // The zone only says how to read the dates; without dates it is no filter.
  if (!filters.from && !filters.to) delete filters.tz;
  return {
    filters,
    q,
    droppedCharacters: q !== typed,
    filtered: Object.keys(filters).some((k) => k !== 'q' && k !== 'sort' && k !== 'tz'),
    page: Math.max(1, Math.floor(Number(params.page)) || 1),
  };
}

/** The address of page `page` of the list with these filters. */
export function listingHref(filters: TicketFilters, page: number): string {
  const next = new URLSearchParams(filters);
  if (page > 1) next.set('page', String(page));
  const s = next.toString();
  return s ? `/?${s}` : '/';
}
