import { describe, expect, it } from 'vitest';
import { searchSummary, shownSummary } from './listing-summary';

describe('shownSummary (the line under a page of tickets)', () => {
  it('when more pages follow, then it gives the range shown', () => {
    expect(shownSummary({ first: 1, shown: 12, hasNext: true })).toBe('Showing tickets 1–12.');
    expect(shownSummary({ first: 13, shown: 12, hasNext: true })).toBe('Showing tickets 13–24.');
  });

  it('when one page holds them all, then it counts them in words that fit the number', () => {
    expect(shownSummary({ first: 1, shown: 1, hasNext: false })).toBe('Showing the only ticket.');
    expect(shownSummary({ first: 1, shown: 2, hasNext: false })).toBe('Showing both tickets.');
    expect(shownSummary({ first: 1, shown: 7, hasNext: false })).toBe('Showing all 7 tickets.');
  });

  it('when it is the last of several pages, then it says these are the last', () => {
    expect(shownSummary({ first: 13, shown: 1, hasNext: false })).toBe(
      'Showing ticket 13, the last one.',
    );
    expect(shownSummary({ first: 13, shown: 3, hasNext: false })).toBe(
      'Showing tickets 13–15, the last ones.',
    );
  });
});

describe('searchSummary', () => {
  it('when the last page is shown, then the total is known and said', () => {
    expect(searchSummary('jazz', { first: 1, shown: 1, hasNext: false })).toBe(
      '1 ticket whose title contains “jazz”.',
    );
    expect(searchSummary('jazz', { first: 13, shown: 2, hasNext: false })).toBe(
      '13–14 of 14 tickets whose title contains “jazz”.',
    );
    expect(searchSummary('jazz', { first: 1, shown: 12, hasNext: true })).toBe(
      'Tickets 1–12 of more than 12 whose title contains “jazz”.',
    );
  });

  it('when a page past the end is asked for, then it says whether there are results before', () => {
    expect(searchSummary('jazz', { first: 25, shown: 0, hasNext: false, earlier: true })).toBe(
      'There are tickets whose title contains “jazz”, but this page is past the last of them.',
    );
    expect(searchSummary('jazz', { first: 1, shown: 0, hasNext: false })).toBe(
      'No tickets whose title contains “jazz”.',
    );
  });
});
