import { randomUUID } from 'node:crypto';
import {
  BadRequestError,
  ConflictError,
  NotAuthorizedError,
  isUniqueViolation,
  type Database,
} from '@ticketing/common';
import type { z } from 'zod';
import {
  EMAIL_TAKEN_CONSTRAINT,
  findUserByEmail,
  insertUser,
  updateProfile,
} from '../data/user-repository.js';
import { UserCreatedPublisher, UserUpdatedPublisher } from '../events/user-publishers.js';
import { decoyHash, hashPassword, verifyPassword } from './password.js';
import type { SignInRateLimit } from './sign-in-rate-limit.js';
import {
  toPublicUser,
  type PublicUser,
  type signInBody,
  type signUpBody,
  type updateProfileBody,
} from './user-schemas.js';

const userCreated = new UserCreatedPublisher();
const userUpdated = new UserUpdatedPublisher();

/** Creates the account and its `user:created` event together, or neither. */
export async function signUp(db: Database, input: z.infer<typeof signUpBody>): Promise<PublicUser> {
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.transaction(async (tx) => {
      const user = await insertUser(tx, {
        id: randomUUID(),
        email: input.email,
        name: input.name,
        phone: input.phone ?? null,
        passwordHash,
      });
      await userCreated.publish(tx, { id: user.id, name: user.name, version: user.version });
      return toPublicUser(user);
    });
  } catch (error) {
    // The unique index decides, so two sign-ups racing for one email cannot both succeed.
    if (isUniqueViolation(error, EMAIL_TAKEN_CONSTRAINT)) {
      throw new ConflictError('Email in use', 'email');
    }
    throw error;
  }
}

/** Same answer, and about the same time, whether the email is unknown or the password wrong. */
export async function signIn(
  db: Database,
  limiter: SignInRateLimit,
  ip: string,
  input: z.infer<typeof signInBody>,
): Promise<PublicUser> {
  await limiter.beforeAttempt(ip, input.email);
  const user = await findUserByEmail(db, input.email);
  const matches = await verifyPassword(input.password, user?.passwordHash ?? (await decoyHash));
  if (!user || !matches) {
    await limiter.failed(input.email);
    throw new BadRequestError('Invalid credentials');
  }
  await limiter.succeeded(input.email);
  return toPublicUser(user);
}

export async function changeProfile(
  db: Database,
  userId: string,
  input: z.infer<typeof updateProfileBody>,
): Promise<PublicUser> {
  return db.transaction(async (tx) => {
    const user = await updateProfile(tx, userId, { name: input.name, phone: input.phone });
    // A valid token whose account no longer exists is as good as no session.
    if (!user) throw new NotAuthorizedError();
    await userUpdated.publish(tx, { id: user.id, name: user.name, version: user.version });
    return toPublicUser(user);
  });
}
