import { Router, type RequestHandler, type Response } from 'express';
import {
  SESSION_COOKIE,
  ValidationError,
  logger,
  parseId,
  requireAuth,
  signSession,
  signedInUser,
  validate,
} from '@ticketing/common';
import { findUserById } from '../data/user-repository.js';
import type { AuthContext } from '../domain/auth-context.js';
import { confirmPasswordReset, requestPasswordReset } from '../domain/password-reset.js';
import {
  assertAdministrator,
  findUsersByEmail,
  reinstateUser,
  suspendUser,
} from '../domain/suspension.js';
import { changePassword, changeProfile, signIn, signUp } from '../domain/users-use-cases.js';
import {
  changePasswordBody,
  resetConfirmBody,
  resetRequestBody,
  signInBody,
  signUpBody,
  suspensionBody,
  toPublicUser,
  userLookupQuery,
  updateProfileBody,
  type PublicUser,
} from '../domain/user-schemas.js';

/**
 * The Users routes of API.md. Each parses, calls one use case, answers. `settle()` waits for the
 * work a route left running after its answer (a password-reset request).
 */
export function usersRouter(ctx: AuthContext): Router & { settle(): Promise<void> } {
  const { db, config } = ctx;
  const router = Router();
  const pending = new Set<Promise<void>>();
  const cookieOptions = {
    httpOnly: true,
    sameSite: 'lax',
    secure: config.COOKIE_SECURE,
    path: '/',
  } as const;

  /**
   * Sets the session cookie. Without `session` it is a new session (a fresh id); with it the
   * same session gets a fresh token (profile or password change), so signing out still ends it.
   */
  async function startSession(
    res: Response,
    user: PublicUser,
    session: { id?: string; issuedAt?: number } = {},
  ) {
    const token = await signSession(user, config.JWT_KEY, config.JWT_TTL_SECONDS, session);
    res.cookie(SESSION_COOKIE, token, { ...cookieOptions, maxAge: config.JWT_TTL_SECONDS * 1000 });
  }

  router.post('/api/users/signup', async (req, res) => {
    const input = validate(signUpBody, req.body);
    await ctx.limits.signUpPerIp.consume(req.ip ?? 'unknown');
    const user = await signUp(ctx, input);
    await startSession(res, user);
    res.status(201).json(user);
  });

  router.post('/api/users/signin', async (req, res) => {
    const user = await signIn(ctx, req.ip ?? 'unknown', validate(signInBody, req.body));
    await startSession(res, user);
    res.json(user);
  });

  router.post('/api/users/signout', async (req, res) => {
    // The token itself is revoked, not only the cookie: a copy of it is signed out too.
    const session = req.currentUser;
    if (session) await ctx.revoker.revokeSession(session.id, session.sessionId, session.expiresAt);
    res.clearCookie(SESSION_COOKIE, cookieOptions);
    res.json({});
  });

  router.post('/api/users/signout-all', requireAuth, async (req, res) => {
    const session = signedInUser(req);
    await ctx.revoker.apply(ctx.revoker.allBefore(session.id, Date.now() + 1, 'signout-all'));
    res.clearCookie(SESSION_COOKIE, cookieOptions);
    res.json({});
  });

  router.get('/api/users/currentuser', async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    // Read fresh from the database: the token may predate a profile change or a deleted account.
    const user = req.currentUser && (await findUserById(db, req.currentUser.id));
    res.json({ currentUser: user && !user.suspendedAt ? toPublicUser(user) : null });
  });

  router.patch('/api/users/currentuser', requireAuth, async (req, res) => {
    const session = signedInUser(req);
    const user = await changeProfile(db, session.id, validate(updateProfileBody, req.body));
    await startSession(res, user, { id: session.sessionId, issuedAt: session.issuedAt });
    res.json(user);
  });

  router.put('/api/users/currentuser/password', requireAuth, async (req, res) => {
    const session = signedInUser(req);
    const input = validate(changePasswordBody, req.body);
    await ctx.limits.passwordChangeFailures.check(session.id);
    const moment = Date.now();
    const user = await changePassword(ctx, session.id, input, moment).catch(async (error) => {
      // Wrong current passwords are counted per user: a stolen session cannot guess forever.
      if (error instanceof ValidationError) {
        await ctx.limits.passwordChangeFailures.penalty(session.id);
      }
      throw error;
    });
    // This session goes on with a token issued at the moment the others were revoked.
    await startSession(res, user, { id: session.sessionId, issuedAt: moment });
    res.json(user);
  });

  router.post('/api/users/password-reset', async (req, res) => {
    const input = validate(resetRequestBody, req.body);
    await ctx.limits.resetPerIp.consume(req.ip ?? 'unknown');
    await ctx.limits.resetPerEmail.consume(input.email.toLowerCase());
    // The same answer, at the same moment, whether or not the email exists: the work that
    // depends on it runs after the answer has gone.
    res.status(202).json({});
    const work = requestPasswordReset(ctx, input)
      .catch((error: unknown) => logger.error({ err: error }, 'password reset request failed'))
      .finally(() => pending.delete(work));
    pending.add(work);
  });

  router.post('/api/users/password-reset/confirm', async (req, res) => {
    const input = validate(resetConfirmBody, req.body);
    const moment = Date.now();
    const user = await confirmPasswordReset(ctx, input, moment);
    await startSession(res, user, { issuedAt: moment });
    res.json(user);
  });

  // Administrators only: 401, then 403 for anyone else, before the input is even looked at.
  const requireAdmin: RequestHandler = async (req, _res, next) => {
    // signedInUser is the 401 when signed out.
    await assertAdministrator(ctx, signedInUser(req).id);
    next();
  };

  router.get('/api/users', requireAdmin, async (req, res) => {
    const { email } = validate(userLookupQuery, req.query);
    res.json(await findUsersByEmail(ctx, email));
  });

  router.post('/api/users/:id/suspension', requireAdmin, async (req, res) => {
    const { reason } = validate(suspensionBody, req.body);
    res.json(await suspendUser(ctx, parseId(req.params.id, 'User'), reason, Date.now()));
  });

  router.delete('/api/users/:id/suspension', requireAdmin, async (req, res) => {
    res.json(await reinstateUser(ctx, parseId(req.params.id, 'User')));
  });

  return Object.assign(router, {
    settle: async () => {
      await Promise.all(pending);
    },
  });
}
