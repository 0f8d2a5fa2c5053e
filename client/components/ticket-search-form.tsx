import Form from 'next/form';
import Link from '@/components/link';
import type { TicketFilters } from '@/lib/types';
import { SearchIcon } from './icons';

/**
 * The home page's search box. The other filters travel with a new search, as hidden fields;
 * they have their own form (TicketFilterForm).
 */
export function TicketSearchForm({ q, filters }: { q: string; filters: TicketFilters }) {
  return (
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
          placeholder="Title or venue, e.g. “concert”"
          className="field-input mt-0 pl-11"
        />
      </div>
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
  );
}
