import Form from 'next/form';
import Link from '@/components/link';
import type { TicketFilters } from '@/lib/types';
import { TimeZoneInput } from './time-zone-input';

const SORTS = [
  ['newest', 'Newest listed'],
  ['soonest', 'Soonest event'],
  ['price', 'Price: low to high'],
  ['-price', 'Price: high to low'],
] as const;

/**
 * "Sort and filter": the order, a price range and a date range, sent with the search typed.
 * The dates are the visitor's own days: the browser's time zone goes with them.
 */
export function TicketFilterForm({
  q,
  filters,
  filtered,
}: {
  q: string;
  filters: TicketFilters;
  /** A filter is set: Reset shows. */
  filtered: boolean;
}) {
  return (
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
      <FilterInput name="minPrice" label="Min price ($)" type="number" value={filters.minPrice} />
      <FilterInput name="maxPrice" label="Max price ($)" type="number" value={filters.maxPrice} />
      <FilterInput name="from" label="From date" type="date" value={filters.from} />
      <FilterInput name="to" label="To date" type="date" value={filters.to} />
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
  );
}

/** One labelled filter: an amount in dollars (cents allowed) or a date. */
function FilterInput({
  name,
  label,
  type,
  value,
}: {
  name: string;
  label: string;
  type: 'number' | 'date';
  value?: string;
}) {
  const amount =
    type === 'number' ? ({ min: '0', step: '0.01', inputMode: 'decimal' } as const) : {};
  return (
    <div>
      <label htmlFor={name} className="field-label">
        {label}
      </label>
      <input
        id={name}
        name={name}
        type={type}
        {...amount}
        defaultValue={value}
        className="field-input"
      />
    </div>
  );
}
