import { createHash, randomBytes } from 'node:crypto';
import { ForbiddenError, ValidationError, type MailOutbox } from '@ticketing/common';
import type { z } from 'zod';
import {
  insertResetToken,
  useResetToken,
  voidResetTokens,
} from '../data/reset-token-repository.js';
import { findUserByEmail, findUserById, updatePasswordHash } from '../data/user-repository.js';
import type { AuthContext } from './auth-context.js';
import { hashPassword } from './password.js';
import {
  toPublicUser,
  type PublicUser,
  type resetConfirmBody,
  type resetRequestBody,
} from './user-schemas.js';

/** A reset link works for 30 minutes. */
export const RESET_TTL_SECONDS = 30 * 60;

/** The stored form of a token: SHA-256 is enough for 256 random bits (nothing to brute-force). */
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

const resetMail = (link: string) => ({
  subject: 'Reset your Ticketing password',
  text: [
    'Someone (we hope you) asked to reset the password of your Ticketing account.',
    '',
    `Choose a new password here within 30 minutes: ${link}`,
    '',
    'The link works once. If you did not ask for it, ignore this mail: your password stays as it is.',
  ].join('\n'),
});

/**
 * For a known, unsuspended email: voids the user's earlier tokens, stores a new one (only its
 * hash) and records the mail with the link, all in one transaction; the mail leaves after commit.
 * For any other email it does nothing. The token exists only in the mail: never on the bus,
 * never in a log. The caller answers the same 202 before this runs, so the answer's timing says
 * nothing about the email either.
 */
export async function requestPasswordReset(
  ctx: AuthContext & { mail: MailOutbox },
  input: z.infer<typeof resetRequestBody>,
): Promise<void> {
  const user = await findUserByEmail(ctx.db, input.email);
  if (!user || user.suspendedAt) return;
  const token = randomBytes(32).toString('base64url');
  const link = new URL('/reset-password', ctx.config.PUBLIC_URL);
  link.searchParams.set('token', token);
  await ctx.db.transaction(async (tx) => {
    await voidResetTokens(tx, user.id);
    await insertResetToken(tx, {
      hash: hashToken(token),
      userId: user.id,
      ttlSeconds: RESET_TTL_SECONDS,
    });
    await ctx.mail.enqueue(tx, { to: user.email, ...resetMail(link.toString()) });
  });
  ctx.mail.wake();
}

/**
 * Uses the token once: sets the new password and revokes every session issued before `moment`
 * (ms), in one transaction. 400 on `token` when it is unknown, used or expired; 403 for a
 * suspended account. The caller signs the user in with a token issued at `moment`.
 */
export async function confirmPasswordReset(
  ctx: AuthContext,
  input: z.infer<typeof resetConfirmBody>,
  moment: number,
): Promise<PublicUser> {
  const passwordHash = await hashPassword(input.password);
  let revocation: ReturnType<AuthContext['revoker']['allBefore']> | undefined;
  const user = await ctx.db.transaction(async (tx) => {
    const userId = await useResetToken(tx, hashToken(input.token));
    if (!userId) {
      throw new ValidationError([
        { message: 'This reset link is invalid, used or expired', field: 'token' },
      ]);
    }
    const found = await findUserById(tx, userId);
    if (!found || found.suspendedAt) throw new ForbiddenError('Account suspended');
    const updated = (await updatePasswordHash(tx, userId, passwordHash))!;
    await voidResetTokens(tx, userId);
    revocation = ctx.revoker.allBefore(userId, moment, 'password-reset');
    await ctx.revoker.record(tx, revocation);
    return updated;
  });
  ctx.revoker.remember(revocation!);
  return toPublicUser(user);
}
