import { describe, expect, it } from 'vitest';
import { formatEventDate, formatEventDateParts, orderState } from './format';

const past = '2020-01-01T00:00:00.000Z';
const future = '2999-01-01T00:00:00.000Z';

describe('orderState', () => {
  it('when a cancelled order carries its reason, then each reason reads differently, for ever', () => {
    const states = (['buyer', 'expired', 'suspended'] as const).map((cancelReason) =>
      orderState({ status: 'cancelled', expiresAt: past, cancelReason }),
    );
    expect(states).toEqual(['cancelled', 'expired', 'suspended']);
  });

  it('when the buyer cancelled within the window, then it still reads cancelled after it', () => {
    const order = { status: 'cancelled', expiresAt: future, cancelReason: 'buyer' } as const;
    expect(orderState(order, Date.parse(future) + 1)).toBe('cancelled');
  });

  it('when an unpaid order outlives its window, then it reads expired before the API says so', () => {
    expect(orderState({ status: 'created', expiresAt: past })).toBe('expired');
    expect(orderState({ status: 'created', expiresAt: future })).toBe('reserved');
  });
});

describe('formatEventDate', () => {
  it('when split for display, then the time is a piece of its own and the pieces make the whole', () => {
    const iso = '2027-06-05T19:30:00.000Z';
    const { date, time } = formatEventDateParts(iso, 'UTC');
    expect(date).toBe('Sat, Jun 5, 2027, ');
    expect(time).toBe('7:30 PM UTC');
    expect(date + time).toBe(formatEventDate(iso, 'UTC'));
    expect(formatEventDate(iso, 'UTC')).toBe(
      new Intl.DateTimeFormat('en-US', {
        weekday: 'short',
        month: 'short',
        day: 'numeric',
        year: 'numeric',
        hour: 'numeric',
        minute: '2-digit',
        timeZone: 'UTC',
        timeZoneName: 'short',
      }).format(new Date(iso)),
    );
  });
});
