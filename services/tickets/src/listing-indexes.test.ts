import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../../test-support/http.js';
import { listingQueries, listingSql, seedListings } from '../../../test-support/listings-seed.js';
import { hasPostgres } from '../../../test-support/servers.js';
import { type RunningTestService } from '../../../test-support/service-harness.js';
import { startTickets } from '../../../test-support/tickets.js';

const SIZE = 100_000;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

const nodes = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(nodes)];

/** Which index each query kind must answer from at 100,000 tickets (docs/decisions/0021). */
const expectedIndex: Record<string, RegExp> = {
  'newest (default)': /^tickets_listed_newest$/,
  soonest: /^tickets_listed_soonest$/,
  price: /^tickets_listed_price$/,
  '-price': /^tickets_listed_price$/,
  'q (title or venue)': /^tickets_(title|venue)_trgm$/,
  'seller (userId)': /^tickets_seller_/,
  'date range, soonest': /^tickets_listed_soonest$/,
  'price range, price': /^tickets_listed_price$/,
};

describe.skipIf(!hasPostgres)('Listing queries at 100,000 tickets (tickets on PostgreSQL)', () => {
  let tickets: RunningTestService;

  beforeAll(async () => {
    tickets = await startTickets();
    await seedListings(tickets.db, SIZE);
  }, 180_000);
  afterAll(async () => tickets?.stop());

  it.each(listingQueries().map((q) => [q.kind, q] as const))(
    'when listing by %s, then the plan reads an index, never the whole table',
    async (kind, { filter }) => {
      const { sql, params } = await listingSql(filter);
      const { rows } = await tickets.db.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
        `EXPLAIN (FORMAT JSON) ${sql}`,
        params,
      );
      const plan = nodes(rows[0]!['QUERY PLAN'][0].Plan);
      const onTickets = plan.filter((n) => n['Relation Name'] === 'tickets' || n['Index Name']);
      expect(onTickets.filter((n) => n['Node Type'] === 'Seq Scan')).toEqual([]);
      const indexes = onTickets.map((n) => n['Index Name']).filter(Boolean);
      expect(
        indexes.some((name) => expectedIndex[kind]!.test(name!)),
        indexes.join(', '),
      ).toBe(true);
    },
  );

  it('when each kind is asked through the API, then it answers 200 with a full or filtered page', async () => {
    const api = new ApiClient(tickets.url);
    for (const { kind, query } of listingQueries()) {
      const res = await api.get(`/api/tickets?${query}`);
      expect(res.status, kind).toBe(200);
      expect(res.body.length, kind).toBeGreaterThan(0);
    }
  });
});
