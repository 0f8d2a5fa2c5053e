import {
  Publisher,
  Subjects,
  type Database,
  type Queryable,
  type Revocation,
  type SessionRevocations,
} from '@ticketing/common';

class SessionRevokedPublisher extends Publisher<typeof Subjects.SessionRevoked> {
  readonly subject = Subjects.SessionRevoked;
}
const sessionRevoked = new SessionRevokedPublisher();

/**
 * Auth's side of revocation: it records each revocation in its own table (so auth refuses the
 * token at once) and publishes it, in one transaction, for every other service's table.
 */
export class SessionRevoker {
  constructor(
    private readonly db: Database,
    private readonly revocations: SessionRevocations,
    /** The lifetime of a token (s): a revocation is kept as long as a token it covers can live. */
    private readonly ttlSeconds: number,
  ) {}

  /** Signs out one session; `expiresAt` is its token's expiry (ms). */
  async revokeSession(userId: string, sessionId: string, expiresAt: number): Promise<void> {
    await this.apply({
      userId,
      sessionId,
      issuedBefore: null,
      expiresAt: new Date(expiresAt).toISOString(),
      reason: 'signout',
    });
  }

  /**
   * Builds the revocation of every session of `userId` issued before `moment` (ms); record it
   * with `recordAll` inside a transaction, then `remember` it after commit.
   */
  allBefore(userId: string, moment: number, reason: Revocation['reason']): Revocation {
    return {
      userId,
      sessionId: null,
      issuedBefore: new Date(moment).toISOString(),
      expiresAt: new Date(moment + this.ttlSeconds * 1000).toISOString(),
      reason,
    };
  }

  /** Records and publishes `revocation` inside the caller's transaction. */
  async record(tx: Queryable, revocation: Revocation): Promise<void> {
    await this.revocations.record(tx, revocation);
    await sessionRevoked.publish(tx, revocation);
  }

  /** This replica refuses the revoked sessions from now on; call after the commit. */
  remember(revocation: Revocation): void {
    this.revocations.remember(revocation);
  }

  /** Revokes in a transaction of its own. */
  async apply(revocation: Revocation): Promise<void> {
    await this.db.transaction((tx) => this.record(tx, revocation));
    this.remember(revocation);
  }
}
