import { randomUUID } from 'node:crypto';
import { signSession, type SessionUser } from '@ticketing/common';
import { TEST_JWT_KEY } from './service-harness.js';

/** A user no other test knows (a fresh id), so tests never see each other's orders or tickets. */
export const newUser = (name = 'Buyer'): SessionUser => {
  const id = randomUUID();
  return { id, email: `${id}@example.com`, name };
};

/** Headers signing `user` in with a Bearer token, so service tests need no auth service. */
export const bearer = async (user: SessionUser): Promise<{ authorization: string }> => ({
  authorization: `Bearer ${await signSession(user, TEST_JWT_KEY, 3600)}`,
});

/** Bearer headers of `count` new users at once, for the tests where buyers race. */
export const signedInBuyers = (count: number): Promise<Array<{ authorization: string }>> =>
  Promise.all(Array.from({ length: count }, () => bearer(newUser())));
