import { describe, expect, it } from 'vitest';
import { localDayBound } from './local-day';

describe('localDayBound (date filters in the visitor’s calendar)', () => {
  it('when the zone is ahead of UTC, then the local day starts the evening before in UTC', () => {
    expect(localDayBound('2027-05-01', 'start', 'Australia/Sydney')).toBe(
      '2027-04-30T14:00:00.000Z',
    );
    expect(localDayBound('2027-05-01', 'end', 'Australia/Sydney')).toBe('2027-05-01T13:59:59.999Z');
  });

  it('when the zone is behind UTC, then the local day ends the next morning in UTC', () => {
    expect(localDayBound('2027-01-15', 'start', 'America/Los_Angeles')).toBe(
      '2027-01-15T08:00:00.000Z',
    );
    expect(localDayBound('2027-01-15', 'end', 'America/Los_Angeles')).toBe(
      '2027-01-16T07:59:59.999Z',
    );
  });

  it('when the day has a daylight-saving change, then it is 23 or 25 hours long', () => {
    // Europe/Paris springs forward on 28 March 2027 and falls back on 31 October 2027.
    const length = (day: string) =>
      Date.parse(localDayBound(day, 'end', 'Europe/Paris')) +
      1 -
      Date.parse(localDayBound(day, 'start', 'Europe/Paris'));
    expect(length('2027-03-28')).toBe(23 * 3600_000);
    expect(length('2027-10-31')).toBe(25 * 3600_000);
    expect(length('2027-06-01')).toBe(24 * 3600_000);
  });

  it('when there is no usable zone, or the value is not a bare date, then it is sent as it is', () => {
    expect(localDayBound('2027-05-01', 'start')).toBe('2027-05-01');
    expect(localDayBound('2027-05-01', 'start', 'Mars/Olympus')).toBe('2027-05-01');
    expect(localDayBound('2027-05-01T10:00:00Z', 'end', 'UTC')).toBe('2027-05-01T10:00:00Z');
    expect(localDayBound('yesterday', 'start', 'UTC')).toBe('yesterday');
    expect(localDayBound('2027-02-30', 'start', 'UTC')).toBe('2027-02-30');
    expect(localDayBound('2027-05-01', 'start', 'UTC')).toBe('2027-05-01T00:00:00.000Z');
  });
});
