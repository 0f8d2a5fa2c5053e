import { describe, expect, it } from 'vitest';
import { listingHref, readListingQuery } from './listing-query';

describe('readListingQuery (the home page’s address)', () => {
  it('when filters are given, then they are trimmed and the defaults left out', () => {
    const query = readListingQuery({
      q: '  jazz ',
      sort: 'newest',
      minPrice: '10',
      tz: 'Europe/Paris',
      page: '2.7',
      other: 'x',
    });
    expect(query).toEqual({
      filters: { q: 'jazz', minPrice: '10' },
      q: 'jazz',
      droppedCharacters: false,
      filtered: true,
      page: 2,
    });
  });

  it('when the search holds control characters, then they are taken out, and said', () => {
    const query = readListingQuery({ q: 'ja\u0000zz', page: '-3' });
    expect(query).toMatchObject({ q: 'jazz', droppedCharacters: true, filtered: false, page: 1 });
    expect(readListingQuery({ q: '\u0000' })).toMatchObject({ q: '', filters: {} });
  });

  it('when a page is linked, then the filters travel with it', () => {
    expect(listingHref({}, 1)).toBe('/');
    expect(listingHref({ q: 'jazz', sort: 'price' }, 3)).toBe('/?q=jazz&sort=price&page=3');
  });
});
