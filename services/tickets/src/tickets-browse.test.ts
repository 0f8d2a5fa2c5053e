import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, eventually } from '../../../test-support/http.js';
import { hasPostgres } from '../../../test-support/servers.js';
import { type RunningTestService } from '../../../test-support/service-harness.js';
import { startTickets, startsIn, ticketBody } from '../../../test-support/tickets.js';
import { bearer, newUser } from '../../../test-support/users.js';

interface Listed {
  id: string;
  title: string;
  price: number;
  venue: string;
  startsAt: string;
  createdAt: string;
}

const newTag = () => `tag${randomBytes(4).toString('hex')}`;
const DAY = 86_400_000;

/** The contract's orderings, computed here independently: key, then the id as tie-breaker. */
const byId = (a: Listed, b: Listed) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const expectedOrder: Record<string, (a: Listed, b: Listed) => number> = {
  newest: (a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || byId(b, a),
  soonest: (a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt) || byId(a, b),
  price: (a, b) => a.price - b.price || byId(a, b),
  '-price': (a, b) => b.price - a.price || byId(b, a),
};

describe.skipIf(!hasPostgres)('Browsing tickets (tickets on PostgreSQL)', () => {
  let tickets: RunningTestService;
  let api: ApiClient;
  let seller: Record<string, string>;

  beforeAll(async () => {
    tickets = await startTickets();
    api = new ApiClient(tickets.url);
    seller = await bearer(newUser('Seller'));
  });
  afterAll(async () => tickets?.stop());

  const create = async (over: Record<string, unknown>) => {
    const res = await api.post('/api/tickets', ticketBody(over), seller);
    expect(res.status).toBe(201);
    return res.body;
  };

  const ids = (body: { id: string }[]) => body.map((t) => t.id);

  /**
   * 30 tickets under one tag with deliberate ties: 6 prices, 5 start times, and creation times
   * set in groups of 4 (as within one clock tick), so only the id tells tied rows apart.
   */
  async function thirtyWithTies(tag: string): Promise<Listed[]> {
    const starts = [3, 1, 5, 2, 4].map((d) => new Date(Date.now() + d * DAY).toISOString());
    const made: Listed[] = [];
    for (let i = 0; i < 30; i++) {
      const t = await create({
        title: `Show ${i} ${tag}`,
        price: [15, 5, 25, 10, 5, 20][i % 6],
        startsAt: starts[i % 5],
        venue: `Hall ${i % 3}`,
      });
      made.push(t);
    }
    const base = Date.now() - 3600_000;
    const { rows } = await tickets.db.query<{ id: string; createdAt: Date }>(
      `UPDATE tickets SET created_at = to_timestamp($2::double precision / 1000)
         + (floor(array_position($1::uuid[], id) / 4) || ' seconds')::interval
       WHERE id = ANY($1::uuid[]) RETURNING id, created_at AS "createdAt"`,
      [made.map((t) => t.id), base],
    );
    const created = new Map(rows.map((r) => [r.id, r.createdAt.toISOString()]));
    return made.map((t) => ({ ...t, createdAt: created.get(t.id)! }));
  }

  describe('sorting and paging', () => {
    let tag: string;
    let listed: Listed[];

    beforeAll(async () => {
      tag = newTag();
      listed = await thirtyWithTies(tag);
    });

    it.each(['newest', 'soonest', 'price', '-price'])(
      'when sorted by %s, then the 30 tickets come in that order, ties broken by id',
      async (sort) => {
        const query = sort === 'newest' ? '' : `&sort=${encodeURIComponent(sort)}`;
        const res = await api.get(`/api/tickets?q=${tag}&limit=100${query}`);
        expect(res.status).toBe(200);
        expect(ids(res.body)).toEqual(ids([...listed].sort(expectedOrder[sort])));
      },
    );

    it.each(['newest', 'soonest', 'price', '-price'])(
      'when walking every page sorted by %s at limits 1, 4, 7 and 30, then each ticket is seen exactly once',
      async (sort) => {
        const whole = ids([...listed].sort(expectedOrder[sort]));
        for (const limit of [1, 4, 7, 30]) {
          const seen: string[] = [];
          for (let offset = 0; ; offset += limit) {
            const page = await api.get(
              `/api/tickets?q=${tag}&sort=${encodeURIComponent(sort)}&limit=${limit}&offset=${offset}`,
            );
            expect(page.status).toBe(200);
            seen.push(...ids(page.body));
            if (page.body.length < limit) break;
          }
          expect(seen).toEqual(whole);
        }
      },
    );

    it('when sorting one seller’s listings, then the same orders apply', async () => {
      const user = newUser('Own');
      const own = await bearer(user);
      const ownId = user.id;
      for (const price of [30, 10, 20, 10])
        expect((await api.post('/api/tickets', ticketBody({ price }), own)).status).toBe(201);
      const res = await api.get(`/api/tickets?userId=${ownId}&sort=-price`);
      expect(res.body.map((t: Listed) => t.price)).toEqual([30, 20, 10, 10]);
    });
  });

  describe('filters', () => {
    let tag: string;
    const at = (days: number) => new Date(Date.now() + days * DAY).toISOString();

    beforeAll(async () => {
      tag = newTag();
      // Title or venue holds the word "jazz" for some; prices and dates spread out.
      await create({ title: `Jazz night ${tag}`, venue: 'Blue Note', price: 40, startsAt: at(10) });
      await create({ title: `Rock ${tag}`, venue: 'Jazz Cafe', price: 25, startsAt: at(12) });
      await create({ title: `Late jazz ${tag}`, venue: 'Club', price: 90, startsAt: at(11) });
      await create({ title: `Early JAZZ ${tag}`, venue: 'Club', price: 30, startsAt: at(2) });
      await create({ title: `Opera ${tag}`, venue: 'Opera House', price: 35, startsAt: at(11) });
      await create({ title: `Cheap jazz ${tag}`, venue: 'Bar', price: 5, startsAt: at(11) });
    });

    const titles = async (query: string) => {
      const res = await api.get(`/api/tickets?${query}`);
      expect(res.status).toBe(200);
      return res.body.map((t: Listed) => t.title.replace(` ${tag}`, ''));
    };

    it('when q is given, then it matches the title or the venue, whatever the case', async () => {
      expect(await titles(`q=${tag}&sort=price`)).toHaveLength(6);
      const jazz = await api.get(`/api/tickets?q=JAZZ&limit=100&sort=price`);
      const mine = jazz.body.filter((t: Listed) => t.title.endsWith(tag));
      expect(mine.map((t: Listed) => t.title.replace(` ${tag}`, ''))).toEqual([
        'Cheap jazz',
        'Rock', // by its venue, Jazz Cafe
        'Early JAZZ',
        'Jazz night',
        'Late jazz',
      ]);
    });

    it('when a price range is given, then both bounds are inclusive', async () => {
      expect(await titles(`q=${tag}&minPrice=25&maxPrice=40&sort=price`)).toEqual([
        'Rock',
        'Early JAZZ',
        'Opera',
        'Jazz night',
      ]);
      expect(await titles(`q=${tag}&minPrice=40.01&sort=price`)).toEqual(['Late jazz']);
    });

    it('when a date range is given, then it bounds the start (a bare date takes in its whole day)', async () => {
      const from = at(9).slice(0, 10);
      const to = at(11).slice(0, 10);
      expect(await titles(`q=${tag}&from=${from}&to=${to}&sort=price`)).toEqual([
        'Cheap jazz',
        'Opera',
        'Jazz night',
        'Late jazz',
      ]);
      const exact = encodeURIComponent(at(10.5));
      expect(await titles(`q=${tag}&to=${exact}&sort=soonest`)).toEqual([
        'Early JAZZ',
        'Jazz night',
      ]);
    });

    it('when q, a price range, a date range and a sort are combined, then all apply at once', async () => {
      const from = encodeURIComponent(at(5));
      const to = encodeURIComponent(at(11.5));
      expect(
        await titles(`q=${tag}&minPrice=5&maxPrice=50&from=${from}&to=${to}&sort=-price`),
      ).toEqual(['Jazz night', 'Opera', 'Cheap jazz']);
      const jazzOnly = await api.get(
        `/api/tickets?q=jazz&minPrice=5&maxPrice=50&from=${from}&to=${to}&sort=-price&limit=100`,
      );
      expect(
        jazzOnly.body
          .filter((t: Listed) => t.title.endsWith(tag))
          .map((t: Listed) => t.title.replace(` ${tag}`, '')),
      ).toEqual(['Jazz night', 'Cheap jazz']);
    });

    it.each([
      ['sort=cheapest', ['sort']],
      ['sort=price&sort=newest', ['sort']],
      ['minPrice=abc', ['minPrice']],
      ['minPrice=-1', ['minPrice']],
      ['maxPrice=1.001', ['maxPrice']],
      ['maxPrice=1000000', ['maxPrice']],
      ['minPrice=20&maxPrice=10', ['maxPrice']],
      ['from=tomorrow', ['from']],
      ['to=2027-13-40', ['to']],
      ['from=2027-05-02&to=2027-05-01', ['to']],
      ['limit=0&minPrice=x&from=y', ['from', 'limit', 'minPrice']],
      // A bad bound beside a good one: the range check must not run on the bad one (was a 500).
      ['from=garbage&to=2027-05-01', ['from']],
      ['from=2027-05-01&to=2027-02-30T25:00:00Z', ['to']],
      ['minPrice=x&maxPrice=5', ['minPrice']],
    ])('when the query is %s, then 400 naming %s', async (query, bad) => {
      const res = await api.get(`/api/tickets?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(bad);
    });
  });

  describe('events that start', () => {
    it('when a ticket’s event starts a few seconds after it is listed, then it is listed before and not after', async () => {
      const tag = newTag();
      const soon = await create({ title: `Soon ${tag}`, startsAt: startsIn(3 / 86_400) });
      const later = await create({ title: `Later ${tag}` });
      expect(ids((await api.get(`/api/tickets?q=${tag}`)).body)).toEqual([later.id, soon.id]);
      await eventually(
        async () => ids((await api.get(`/api/tickets?q=${tag}`)).body),
        (shown) => shown.length === 1,
        15_000,
      );
      expect(ids((await api.get(`/api/tickets?q=${tag}`)).body)).toEqual([later.id]);
      // Its seller still sees it, and so does anyone who has its link.
      const sellerId = soon.userId as string;
      expect(ids((await api.get(`/api/tickets?userId=${sellerId}&q=${tag}`)).body)).toContain(
        soon.id,
      );
      expect((await api.get(`/api/tickets/${soon.id}`)).status).toBe(200);
    });

    it('when a listing from the first release has no start, then only its seller’s list shows it', async () => {
      const tag = newTag();
      const ticket = await create({ title: `Legacy ${tag}` });
      await tickets.db.query('UPDATE tickets SET venue = NULL, starts_at = NULL WHERE id = $1', [
        ticket.id,
      ]);
      expect((await api.get(`/api/tickets?q=${tag}`)).body).toEqual([]);
      const own = await api.get(`/api/tickets?userId=${ticket.userId}&q=${tag}&sort=soonest`);
      expect(own.body).toEqual([expect.objectContaining({ venue: null, startsAt: null })]);
    });
  });
});
