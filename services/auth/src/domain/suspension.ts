import { ForbiddenError, NotAuthorizedError, NotFoundError } from '@ticketing/common';
import {
  findUserByEmail,
  findUserById,
  markReinstated,
  markSuspended,
} from '../data/user-repository.js';
import { UserReinstatedPublisher, UserSuspendedPublisher } from '../data/user-publishers.js';
import type { AuthContext } from './auth-context.js';
import { toAdminUserView, type AdminUserView } from './user-schemas.js';

const userSuspended = new UserSuspendedPublisher();
const userReinstated = new UserReinstatedPublisher();

/**
 * 401 unless the session's user still exists and is not suspended; 403 unless that user is an
 * administrator (ADMIN_EMAILS, applied at start). Read from the database, not the token, so a
 * role taken away at the next start is gone at once.
 */
export async function assertAdministrator(ctx: AuthContext, userId: string): Promise<void> {
  const user = await findUserById(ctx.db, userId);
  if (!user || user.suspendedAt) throw new NotAuthorizedError();
  if (!user.admin) throw new ForbiddenError('Only administrators may do this');
}

/** The users with this email (none or one: emails are unique whatever their case). */
export async function findUsersByEmail(ctx: AuthContext, email: string): Promise<AdminUserView[]> {
  const user = await findUserByEmail(ctx.db, email);
  return user ? [toAdminUserView(user)] : [];
}

/**
 * Suspends the user: sign-in refused from now on, and in one transaction every session issued
 * before `moment` (ms) revoked and `user:suspended` recorded, on which tickets withdraws their
 * available listings, orders cancels their unpaid orders and notifications tells them. Repeating
 * it changes nothing and publishes nothing. 404 for an unknown user; 403 for an administrator
 * (one administrator cannot lock the others out; ADMIN_EMAILS is where roles change).
 */
export async function suspendUser(
  ctx: AuthContext,
  userId: string,
  reason: string,
  moment: number,
): Promise<AdminUserView> {
  const revocation = ctx.revoker.allBefore(userId, moment, 'suspension');
  let revoked = false;
  const user = await ctx.db.transaction(async (tx) => {
    const found = await findUserById(tx, userId);
    if (!found) throw new NotFoundError('User not found');
    if (found.admin) throw new ForbiddenError('An administrator cannot be suspended');
    const suspended = await markSuspended(tx, userId, reason, new Date(moment));
    if (!suspended) return found;
    await ctx.revoker.record(tx, revocation);
    await userSuspended.publish(tx, {
      userId,
      reason,
      suspendedAt: new Date(moment).toISOString(),
    });
    revoked = true;
    return suspended;
  });
  if (revoked) ctx.revoker.remember(revocation);
  return toAdminUserView(user);
}

/**
 * Lifts the suspension: the user may sign in again (their old sessions stay revoked, and what
 * the suspension withdrew or cancelled stays so). Publishes `user:reinstated`; repeating it
 * changes nothing. 404 for an unknown user.
 */
export async function reinstateUser(ctx: AuthContext, userId: string): Promise<AdminUserView> {
  return ctx.db.transaction(async (tx) => {
    const lifted = await markReinstated(tx, userId);
    if (lifted) {
      await userReinstated.publish(tx, { userId, reinstatedAt: new Date().toISOString() });
      return toAdminUserView(lifted);
    }
    const found = await findUserById(tx, userId);
    if (!found) throw new NotFoundError('User not found');
    return toAdminUserView(found);
  });
}
