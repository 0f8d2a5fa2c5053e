import { describe, expect, it } from 'vitest';
import { PRICE_FORMAT_MESSAGE, parsePrice } from './price';

describe('parsePrice', () => {
  it('when a price has a decimal point or comma, then both read the same', () => {
    expect(parsePrice('12.50')).toEqual({ ok: true, value: 12.5 });
    expect(parsePrice(' 12,50 ')).toEqual({ ok: true, value: 12.5 });
    expect(parsePrice('12,5')).toEqual({ ok: true, value: 12.5 });
    expect(parsePrice('40')).toEqual({ ok: true, value: 40 });
  });

  it('when a price has an exponent, separators or signs, then it is refused with what to type', () => {
    for (const text of [
      '1e3',
      '1E3',
      '1,000.00',
      '1.000,00',
      '$12',
      '12.505',
      'Infinity',
      '0x10',
    ]) {
      expect(parsePrice(text), text).toEqual({ ok: false, message: PRICE_FORMAT_MESSAGE });
    }
  });

  it('when a price is negative, then it is refused as below the lowest, not as a typo', () => {
    expect(parsePrice('-5')).toEqual({ ok: false, message: 'The price must be at least 0.50.' });
    expect(parsePrice('- 12,50')).toEqual({
      ok: false,
      message: 'The price must be at least 0.50.',
    });
  });

  it('when the price is blank, then the API is left to say it is required', () => {
    expect(parsePrice('  ')).toBeNull();
  });
});
