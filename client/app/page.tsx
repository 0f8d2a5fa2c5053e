import type { Metadata } from 'next';
import Form from 'next/form';
import Link from '@/components/link';
import { EmptyState } from '@/components/empty-state';
import { PlusIcon, SearchIcon } from '@/components/icons';
import { PageHeader } from '@/components/page-header';
import { TimeZoneInput } from '@/components/time-zone-input';
import { localDayBound } from '@/lib/local-day';
import { Pagination } from '@/components/pagination';
import { TicketCard, TicketGrid } from '@/components/ticket-card';
import { apiGet, getCurrentUser } from '@/lib/server-api';
import type { Ticket } from '@/lib/types';

export const metadata: Metadata = { title: 'Tickets for sale' };

const PAGE_SIZE = 12;

/** The filters the home page keeps in its URL, as the API names them. */
const FILTERS = ['q', 'sort', 'minPrice', 'maxPrice', 'from', 'to', 'tz'] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;

const SORTS = [
  ['newest', 'Newest listed'],
  ['soonest', 'Soonest event'],
  ['price', 'Price: low to high'],
  ['-price', 'Price: high to low'],
] as const;

export default async function HomePage({ searchParams }: PageProps<'/'>) {
  const params = await searchParams;
  const filters: Filters = {};
  for (const name of FILTERS) {
    const value = params[name];
    if (typeof value === 'string' && value.trim()) filters[name] = value.trim().slice(0, 200);
  }
  if (filters.sort === 'newest') delete filters.sort;
  const typed = filters.q ?? '';
  // Control characters (a %00 in the address) can be in no title: they are left out, and said.
  const q = typed.replace(/\p{Cc}/gu, '').trim();
  const droppedCharacters = q !== typed;
  if (q) filters.q = q;
  else delete filters.q;
  // The zone only says how to read the dates; without dates it is no filter.
  if (!filters.from && !filters.to) delete filters.tz;
  const filtered = Object.keys(filters).some((k) => k !== 'q' && k !== 'sort' && k !== 'tz');
  const page = Math.max(1, Math.floor(Number(params.page)) || 1);

  // One more than a page, to know whether there is a next page without counting.
  const query = new URLSearchParams({
    limit: String(PAGE_SIZE + 1),
    offset: String((page - 1) * PAGE_SIZE),
  });
  for (const [name, value] of Object.entries(filters)) if (name !== 'tz') query.set(name, value);
  // Dates are the visitor's days: their bounds go to the API as instants (lib/local-day.ts).
  if (filters.from) query.set('from', localDayBound(filters.from, 'start', filters.tz));
  if (filters.to) query.set('to', localDayBound(filters.to, 'end', filters.tz));
  const [result, user] = await Promise.all([
    apiGet<Ticket[]>(`/api/tickets?${query}`),
    getCurrentUser(),
  ]);
  const tickets = result.ok ? result.data.slice(0, PAGE_SIZE) : [];
  const hasNext = result.ok && result.data.length > PAGE_SIZE;
  // Past the last page of a search: whether there are results at all, on earlier pages.
  const earlier =
    q && page > 1 && result.ok && tickets.length === 0
      ? await apiGet<Ticket[]>(`/api/tickets?${new URLSearchParams({ q, limit: '1' })}`)
      : null;
  const first = (page - 1) * PAGE_SIZE + 1;

  const href = (p: number) => {
    const next = new URLSearchParams(filters);
    if (p > 1) next.set('page', String(p));
    const s = next.toString();
    return s ? `/?${s}` : '/';
  };

  return (
    <>
      <PageHeader
        title={q ? `Tickets matching “${q}”` : 'Tickets for sale'}
        description={
          q
            ? searchSummary(q, {
                first,
                shown: tickets.length,
                hasNext,
                earlier: earlier?.ok && earlier.data.length > 0,
              })
            : 'Every ticket on offer for an event still to come.'
        }
      />
      {droppedCharacters && (
        <p role="status" className="-mt-2 mb-6 text-sm text-slate-600">
          Characters that cannot be searched for were left out of your search.
        </p>
      )}

      <Form
        role="search"
        action="/"
        prefetch={false}
        className="mb-8 flex flex-col gap-2 sm:flex-row"
      >
        <label htmlFor="q" className="sr-only">
          Search tickets by title or venue
        </label>
        <div className="relative flex-1">
          <SearchIcon className="pointer-events-none absolute top-1/2 left-3.5 size-5 -translate-y-1/2 text-slate-400" />
          <input
            id="q"
            name="q"
            type="search"
            defaultValue={q}
            maxLength={200}
            placeholder="Search by title or venue, e.g. “concert”"
            className="field-input mt-0 pl-11"
          />
        </div>
        {/* The other filters travel with a new search; they have their own form below. */}
        {Object.entries(filters).map(([name, value]) =>
          name === 'q' ? null : <input key={name} type="hidden" name={name} value={value} />,
        )}
        <button type="submit" className="btn-primary sm:px-6">
          Search
        </button>
        {q && (
          <Link href="/" className="btn-secondary">
            Clear
          </Link>
        )}
      </Form>

      <Form
        action="/"
        prefetch={false}
        aria-label="Sort and filter"
        className="mb-6 grid grid-cols-2 gap-3 rounded-2xl border border-slate-200 bg-white p-4 sm:grid-cols-3 lg:grid-cols-6 lg:items-end"
      >
        {q && <input type="hidden" name="q" value={q} />}
        <TimeZoneInput initial={filters.tz} />
        <div className="col-span-2 sm:col-span-1 lg:col-span-1">
          <label htmlFor="sort" className="field-label">
            Sort by
          </label>
          <select
            id="sort"
            name="sort"
            defaultValue={filters.sort ?? 'newest'}
            className="field-input"
          >
            {SORTS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="minPrice" className="field-label">
            Min price ($)
          </label>
          <input
            id="minPrice"
            name="minPrice"
            type="number"
            min="0"
            step="0.01"
            inputMode="decimal"
            defaultValue={filters.minPrice}
            className="field-input"
          />
        </div>
        <div>
          <label htmlFor="maxPrice" className="field-label">
            Max price ($)
          </label>
          <input
            id="maxPrice"
            name="maxPrice"
            type="number"
            min="0"
            step="0.01"
            inputMode="decimal"
            defaultValue={filters.maxPrice}
            className="field-input"
          />
        </div>
        <div>
          <label htmlFor="from" className="field-label">
            From date
          </label>
          <input
            id="from"
            name="from"
            type="date"
            defaultValue={filters.from}
            className="field-input"
          />
        </div>
        <div>
          <label htmlFor="to" className="field-label">
            To date
          </label>
          <input id="to" name="to" type="date" defaultValue={filters.to} className="field-input" />
        </div>
        <div className="col-span-2 flex gap-2 sm:col-span-1">
          <button type="submit" className="btn-primary flex-1">
            Apply
          </button>
          {filtered && (
            <Link href={q ? `/?${new URLSearchParams({ q })}` : '/'} className="btn-secondary">
              Reset
            </Link>
          )}
        </div>
      </Form>

      {!result.ok ? (
        // A 400 is a filter that does not fit (the lowest price above the highest, say): the
        // visitor's to fix, not a failure of the marketplace.
        <EmptyState
          title={result.status === 400 ? 'Check the filters' : 'Tickets could not be loaded'}
        >
          {result.errors.map((e) => e.message).join(' ')}
        </EmptyState>
      ) : tickets.length === 0 ? (
        page > 1 ? (
          <EmptyState
            title="No more tickets"
            action={
              <Link href={href(1)} className="btn-secondary">
                Back to the first page
              </Link>
            }
          >
            This page is past the last ticket.
          </EmptyState>
        ) : q || filtered ? (
          <EmptyState
            title={q ? `Nothing matches “${q}”` : 'No tickets match these filters'}
            action={
              <Link href="/" className="btn-secondary">
                See all tickets
              </Link>
            }
          >
            Try a shorter word or wider filters. Only tickets still for sale, for events still to
            come, are shown.
          </EmptyState>
        ) : (
          <EmptyState
            title="No tickets for sale yet"
            action={
              <Link href="/sell" className="btn-primary">
                <PlusIcon className="size-4" />
                List the first one
              </Link>
            }
          >
            When someone lists a ticket, it shows up here.
          </EmptyState>
        )
      ) : (
        <section aria-label="Tickets">
          <TicketGrid>
            {tickets.map((t) => (
              <TicketCard key={t.id} ticket={t} mine={user?.id === t.userId} />
            ))}
          </TicketGrid>
          <p role="status" className="mt-6 text-center text-sm text-slate-600">
            Showing tickets {(page - 1) * PAGE_SIZE + 1}–{(page - 1) * PAGE_SIZE + tickets.length}
            {hasNext ? '.' : ' — no more tickets after these.'}
          </p>
          <Pagination page={page} hasNext={hasNext} href={href} />
        </section>
      )}
    </>
  );
}

/**
 * What a search found, counting the whole result rather than this page: the total when this is
 * the last page (then it is known), else the range shown and that more follow.
 */
function searchSummary(
  q: string,
  page: { first: number; shown: number; hasNext: boolean; earlier?: boolean },
): string {
  const what = `whose title contains “${q}”`;
  if (page.shown === 0) {
    return page.earlier
      ? `There are tickets ${what}, but this page is past the last of them.`
      : `No tickets ${what}.`;
  }
  const last = page.first + page.shown - 1;
  if (page.hasNext) return `Tickets ${page.first}–${last} of more than ${last} ${what}.`;
  const total = `${last} ticket${last === 1 ? '' : 's'} ${what}`;
  return page.first === 1 ? `${total}.` : `${page.first}–${last} of ${total}.`;
}
