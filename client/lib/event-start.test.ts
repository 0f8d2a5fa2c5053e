import { describe, expect, it } from 'vitest';
import { localDateAndTime, startsAtFrom } from './event-start';

describe('event start (the ticket form’s date and time, in the browser’s zone)', () => {
  it('when a start is shown and saved again unchanged, then it is the same instant', () => {
    const iso = '2027-06-05T19:30:00.000Z';
    const { date, time } = localDateAndTime(iso);
    expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(time).toMatch(/^\d{2}:\d{2}$/);
    expect(startsAtFrom(date, time)).toBe(iso);
  });

  it('when only half a date is typed, then it is sent as typed, for the API to explain', () => {
    expect(startsAtFrom('2027-06-05', '')).toBe('2027-06-05');
    expect(startsAtFrom('', '19:30')).toBe('T19:30');
    expect(startsAtFrom('', '')).toBe('');
    expect(startsAtFrom('2027-02-31x', '19:30')).toBe('2027-02-31xT19:30');
  });
});
