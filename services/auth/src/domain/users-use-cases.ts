import { randomUUID } from 'node:crypto';
import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  NotAuthorizedError,
  ValidationError,
  isUniqueViolation,
  type Database,
} from '@ticketing/common';
import type { z } from 'zod';
import {
  EMAIL_TAKEN_CONSTRAINT,
  findUserByEmail,
  findUserById,
  insertUser,
  updatePasswordHash,
  updateProfile,
} from '../data/user-repository.js';
import { UserCreatedPublisher, UserUpdatedPublisher } from '../data/user-publishers.js';
import { adminEmails } from '../config.js';
import type { AuthContext } from './auth-context.js';
import { decoyHash, hashPassword, verifyPassword } from './password.js';
import {
  toPublicUser,
  type PublicUser,
  type changePasswordBody,
  type signInBody,
  type signUpBody,
  type updateProfileBody,
} from './user-schemas.js';

const userCreated = new UserCreatedPublisher();
const userUpdated = new UserUpdatedPublisher();

/** Creates the account and its `user:created` event together, or neither. */
export async function signUp(
  ctx: AuthContext,
  input: z.infer<typeof signUpBody>,
): Promise<PublicUser> {
  const passwordHash = await hashPassword(input.password);
  try {
    return await ctx.db.transaction(async (tx) => {
      const user = await insertUser(tx, {
        id: randomUUID(),
        email: input.email,
        name: input.name,
        phone: input.phone ?? null,
        passwordHash,
        admin: adminEmails(ctx.config).includes(input.email.toLowerCase()),
      });
      await userCreated.publish(tx, {
        id: user.id,
        name: user.name,
        email: user.email,
        version: user.version,
      });
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

/**
 * Same answer, and about the same time, whether the email is unknown or the password wrong. A
 * suspended account is told so (403) only once the password matched.
 */
export async function signIn(
  ctx: AuthContext,
  ip: string,
  input: z.infer<typeof signInBody>,
): Promise<PublicUser> {
  await ctx.limiter.beforeAttempt(ip, input.email);
  const user = await findUserByEmail(ctx.db, input.email);
  const matches = await verifyPassword(input.password, user?.passwordHash ?? (await decoyHash));
  if (!user || !matches) {
    await ctx.limiter.failed(ip, input.email);
    throw new BadRequestError('Invalid credentials');
  }
  await ctx.limiter.succeeded(ip, input.email);
  if (user.suspendedAt) throw new ForbiddenError('Account suspended');
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
    await userUpdated.publish(tx, {
      id: user.id,
      name: user.name,
      email: user.email,
      version: user.version,
    });
    return toPublicUser(user);
  });
}

/**
 * Checks the current password, stores the new one and revokes every session of the user issued
 * before `moment` (ms) in the same transaction; the caller hands this session a token issued at
 * `moment`, so it alone survives.
 */
export async function changePassword(
  ctx: AuthContext,
  userId: string,
  input: z.infer<typeof changePasswordBody>,
  moment: number,
): Promise<PublicUser> {
  const user = await findUserById(ctx.db, userId);
  if (!user) throw new NotAuthorizedError();
  if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw new ValidationError([{ message: 'Current password is wrong', field: 'currentPassword' }]);
  }
  const passwordHash = await hashPassword(input.newPassword);
  const revocation = ctx.revoker.allBefore(userId, moment, 'password-change');
  const updated = await ctx.db.transaction(async (tx) => {
    const changed = await updatePasswordHash(tx, userId, passwordHash);
    if (!changed) throw new NotAuthorizedError();
    await ctx.revoker.record(tx, revocation);
    return changed;
  });
  ctx.revoker.remember(revocation);
  return toPublicUser(updated);
}
