import { randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';

/** What a session token says about its holder: enough to authorise without calling auth. */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
}

/** A verified token's holder and the session it belongs to (what revocations are checked on). */
export interface Session extends SessionUser {
  /** The `sid` claim: one sign-in. Sign-out revokes exactly this one. */
  sessionId: string;
  /** The `iat` claim in milliseconds since the epoch (tokens carry it to the millisecond). */
  issuedAt: number;
  /** The `exp` claim in milliseconds since the epoch. */
  expiresAt: number;
}

export const SESSION_COOKIE = 'session';

const encoder = new TextEncoder();

/**
 * Signs a session token (HS256) for `user`, valid `ttlSeconds`. `session.id` is the session id
 * (`sid`, a fresh UUID by default) and `session.issuedAt` the issue time in ms (now by default):
 * `iat` keeps milliseconds, so a revocation "of every token issued before T" spares a token
 * issued at T, such as the one a password change hands back.
 */
export async function signSession(
  user: SessionUser,
  key: string,
  ttlSeconds: number,
  session: { id?: string; issuedAt?: number } = {},
): Promise<string> {
  const issuedAt = session.issuedAt ?? Date.now();
  return new SignJWT({ email: user.email, name: user.name, sid: session.id ?? randomUUID() })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(user.id)
    .setIssuedAt(issuedAt / 1000)
    .setExpirationTime(Math.floor(issuedAt / 1000) + ttlSeconds)
    .sign(encoder.encode(key));
}

/**
 * The token's session, or null for anything invalid, tampered with, expired or without a
 * session id (`sid`) and issue time (`iat`): that is signed out. Revocation is checked
 * separately (`SessionRevocations`), by each service on its own table.
 */
export async function verifySession(token: string, key: string): Promise<Session | null> {
  try {
    const { payload } = await jwtVerify(token, encoder.encode(key), {
      algorithms: ['HS256'],
      requiredClaims: ['sub', 'exp', 'iat'],
    });
    const { email, name, sid, iat, exp } = payload;
    if (typeof email !== 'string' || typeof name !== 'string') return null;
    if (typeof sid !== 'string' || !sid || typeof iat !== 'number' || typeof exp !== 'number') {
      return null;
    }
    return {
      id: payload.sub!,
      email,
      name,
      sessionId: sid,
      issuedAt: Math.round(iat * 1000),
      expiresAt: exp * 1000,
    };
  } catch {
    return null;
  }
}
