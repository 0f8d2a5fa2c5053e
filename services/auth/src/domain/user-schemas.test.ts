import { describe, expect, it } from 'vitest';
import { signUpBody, updateProfileBody } from './user-schemas.js';

const signUp = { email: 'ada@example.com', password: 'correct horse', name: 'Ada' };

describe('phone numbers (API.md: E.164; spaces, dashes and brackets are ignored)', () => {
  it('when a phone is written with spaces, dashes or brackets, then it is kept as E.164', () => {
    for (const written of ['+44 20 7946 0958', '+44 (20) 7946-0958', ' +442079460958 ']) {
      const parsed = signUpBody.parse({ ...signUp, phone: written });
      expect(parsed.phone, written).toBe('+442079460958');
    }
    expect(updateProfileBody.parse({ phone: '+1 (415) 555-0123' }).phone).toBe('+14155550123');
  });

  it('when a phone is not international, then the message shows what to type', () => {
    const result = signUpBody.safeParse({ ...signUp, phone: '020 7946 0958' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain('such as +44 20 7946 0958');
  });

  it('when a profile removes its phone, then null still does', () => {
    expect(updateProfileBody.parse({ phone: null }).phone).toBeNull();
  });
});
