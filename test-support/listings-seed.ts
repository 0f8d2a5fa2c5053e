import type { Database, Queryable } from '@ticketing/common';
import { listTickets, type TicketFilter } from '../services/tickets/src/data/ticket-repository.js';

/**
 * Fills a tickets database with `count` listings in one statement, shaped like a busy
 * marketplace: 1,000 sellers, titles and venues from small word lists (so `q` has something to
 * find), prices from 5 to 500, starts spread over the next two years (a few already past),
 * creation times over the last 90 days, and about 1 in 20 reserved or sold. Then ANALYZE, so the
 * planner knows the table's size.
 */
export async function seedListings(db: Database, count: number): Promise<void> {
  await db.query(
    `INSERT INTO tickets (id, title, description, price, venue, starts_at, user_id, status,
                          order_id, created_at, sold_at)
     SELECT gen_random_uuid(),
            (ARRAY['Jazz night','Rock concert','Opera gala','Comedy show','Cup final',
                   'Ballet','Indie festival','Symphony','Theatre matinee','Blues evening'])[1 + i % 10]
              || ' ' || (i % 997),
            NULL,
            500 + (i::bigint * 7919) % 49500,
            (ARRAY['Royal Albert Hall','Blue Note','Town Hall','Stadium','Opera House',
                   'Jazz Cafe','Arena','Civic Centre'])[1 + i % 8] || ' ' || (i % 89),
            now() + ((i::bigint * 104729) % (730 * 24)) * interval '1 hour' - interval '2 hours',
            'seller-' || (i % 1000),
            CASE WHEN i % 20 = 0 THEN 'reserved' WHEN i % 20 = 1 THEN 'sold' ELSE 'available' END,
            CASE WHEN i % 20 IN (0, 1) THEN gen_random_uuid()::text END,
            now() - ((i * 7) % (90 * 24 * 60)) * interval '1 minute',
            CASE WHEN i % 20 = 1 THEN now() - (i % 1000) * interval '1 minute' END
     FROM generate_series(1, $1::int) AS i`,
    [count],
  );
  // Statistics from every row, not ANALYZE's random sample of 30,000: the same plan every run
  // (with a sample, the trigram estimates for `q` moved enough to flip the plan now and then).
  await db.transaction(async (tx) => {
    await tx.query('SET LOCAL default_statistics_target = 1000');
    await tx.query('ANALYZE tickets');
  });
}

const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/**
 * The kinds of GET /api/tickets a buyer or a seller runs, each as the API's query string and as
 * the repository's filter (a week of dates some 100 days ahead; a one-dollar price band).
 */
export function listingQueries(): Array<{ kind: string; query: string; filter: TicketFilter }> {
  const page = { limit: 50, offset: 0 };
  const [from, to] = [day(100), day(106)];
  return [
    { kind: 'newest (default)', query: '', filter: { sort: 'newest', ...page } },
    { kind: 'soonest', query: 'sort=soonest', filter: { sort: 'soonest', ...page } },
    { kind: 'price', query: 'sort=price', filter: { sort: 'price', ...page } },
    { kind: '-price', query: 'sort=-price', filter: { sort: '-price', ...page } },
    {
      kind: 'q (title or venue)',
      query: 'q=symphony%2012',
      filter: { q: 'symphony 12', sort: 'newest', ...page },
    },
    {
      kind: 'seller (userId)',
      query: 'userId=seller-42',
      filter: { userId: 'seller-42', sort: 'newest', ...page },
    },
    {
      kind: 'date range, soonest',
      query: `from=${from}&to=${to}&sort=soonest`,
      filter: {
        from: new Date(`${from}T00:00:00Z`),
        to: new Date(`${to}T23:59:59.999Z`),
        sort: 'soonest',
        ...page,
      },
    },
    {
      kind: 'price range, price',
      query: 'minPrice=100&maxPrice=101&sort=price',
      filter: { minPrice: 10000, maxPrice: 10100, sort: 'price', ...page },
    },
  ];
}

/** The SQL and parameters the repository runs for `filter`, captured without running it. */
export async function listingSql(
  filter: TicketFilter,
): Promise<{ sql: string; params: unknown[] }> {
  let captured: { sql: string; params: unknown[] } | undefined;
  const recorder = {
    query: async (sql: string, params: unknown[] = []) => {
      captured = { sql, params };
      return { rows: [], rowCount: 0 };
    },
  } as unknown as Queryable;
  await listTickets(recorder, filter);
  return captured!;
}
