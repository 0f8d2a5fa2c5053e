import { describe, expect, it } from 'vitest';
import { formatExpiry, parseExpiry } from './card-expiry';

describe('card expiry', () => {
  it('when digits are typed one by one, then the slash comes in after the month', () => {
    const typed = ['1', '12', '123', '1234'].map(formatExpiry);
    expect(typed).toEqual(['1', '12', '12/3', '12/34']);
  });

  it('when "12/34", "1234" or "12 / 34" is pasted, then it reads 12/34', () => {
    for (const pasted of ['12/34', '1234', '12 / 34', ' 12/34 ', '12/345']) {
      expect(formatExpiry(pasted), pasted).toBe('12/34');
    }
  });

  it('when a month cannot start with the digit, then it gets its zero', () => {
    expect(formatExpiry('4')).toBe('04');
    expect(formatExpiry('425')).toBe('04/25');
    expect(formatExpiry('1/34')).toBe('01/34');
  });

  it('when parsed, then only whole dates with a real month count', () => {
    expect(parseExpiry('1234')).toEqual({ month: 12, year: 2034 });
    expect(parseExpiry('12/3')).toBeNull();
    expect(parseExpiry('13/30')).toBeNull();
    expect(parseExpiry('00/30')).toBeNull();
  });
});
