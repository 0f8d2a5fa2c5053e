import { SignJWT, jwtVerify } from 'jose';

/** What a session token says about its holder: enough to authorise without calling auth. */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
}

export const SESSION_COOKIE = 'session';

const encoder = new TextEncoder();

export async function signSession(
  user: SessionUser,
  key: string,
  ttlSeconds: number,
): Promise<string> {
  return new SignJWT({ email: user.email, name: user.name })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(user.id)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(encoder.encode(key));
}

/** The token's user, or null for anything invalid, tampered with or expired: that is signed out. */
export async function verifySession(token: string, key: string): Promise<SessionUser | null> {
  try {
    const { payload } = await jwtVerify(token, encoder.encode(key), {
      algorithms: ['HS256'],
      requiredClaims: ['sub', 'exp'],
    });
    if (typeof payload.email !== 'string' || typeof payload.name !== 'string') return null;
    return { id: payload.sub!, email: payload.email, name: payload.name };
  } catch {
    return null;
  }
}
