import { describe, expect, it } from 'vitest';
import { fromCents, priceSchema } from './money.js';

describe('priceSchema', () => {
  it('when a price has up to two decimals within range, then it becomes exact cents', () => {
    expect(priceSchema.parse(19.99)).toBe(1999);
    expect(priceSchema.parse(0.01)).toBe(1);
    expect(priceSchema.parse(0.1 + 0.2)).toBe(30);
    expect(priceSchema.parse(1_000_000)).toBe(100_000_000);
    expect(fromCents(1999)).toBe(19.99);
  });

  it('when a price is zero, negative, too high, too precise or not a number, then it is refused', () => {
    for (const bad of [0, -5, 1_000_000.01, 10.001, '10', null, Number.NaN]) {
      expect(priceSchema.safeParse(bad).success).toBe(false);
    }
  });
});
