import { describe, expect, it } from 'vitest';
import { safeNextPath } from '../../client/lib/safe-next.js';

/** Issue 14, point 3: where the storefront sends a visitor after sign-in (`?next=`). */
describe('safeNextPath', () => {
  it('when the path hides another site behind what browsers strip, then "/"', () => {
    for (const next of [
      '/\t/evil.example',
      '/\r/evil.example',
      '/\n/evil.example',
      '/\\evil.example',
      '\\\\evil.example',
      '//evil.example',
      ' //evil.example',
      '\u0000//evil.example',
      'https://evil.example',
      'javascript:alert(1)',
      '/\t\\evil.example',
    ]) {
      expect(safeNextPath(next), JSON.stringify(next)).toBe('/');
    }
  });

  it('when the path is on this site, then it is kept, encoded so a Location header holds it', () => {
    expect(safeNextPath('/tickets/abc?x=1#top')).toBe('/tickets/abc?x=1#top');
    expect(safeNextPath('/€')).toBe('/%E2%82%AC');
    expect(safeNextPath('/orders\n')).toBe('/orders');
    expect(safeNextPath('/a\u0001b')).toBe('/a%01b');
    for (const next of ['/€', '/a\u0001b', '/x y', '/\u00e9?q=\u00e9'])
      expect(safeNextPath(next)).toMatch(/^\/[\x21-\x7e]*$/);
    expect(safeNextPath(undefined)).toBe('/');
    expect(safeNextPath('')).toBe('/');
  });
});
