import type { RequestHandler } from 'express';
import type { Database, Queryable } from '../db/database.js';
import type { Migration } from '../db/migrate.js';
import type { EventData } from '../events/schemas.js';
import { Subjects } from '../events/subjects.js';
import { Listener } from '../messaging/listener.js';
import { logger } from '../observability/logger.js';
import type { Session } from './session-token.js';

/** What auth publishes on `session:revoked`: one session, or a user's sessions issued before a moment. */
export type Revocation = EventData<typeof Subjects.SessionRevoked>;

/**
 * The revocation table every service that authenticates keeps in its own database. Rows live until
 * `expires_at`, when the last token they cover has expired anyway; `seq` lets replicas read what
 * the others recorded.
 */
export const revocationMigrations: Migration[] = [
  {
    id: '000_session_revocations',
    sql: `
      CREATE TABLE session_revocations (
        seq bigserial PRIMARY KEY,
        user_id text NOT NULL,
        session_id text,
        issued_before timestamptz,
        expires_at timestamptz NOT NULL,
        CHECK ((session_id IS NULL) <> (issued_before IS NULL))
      );
      CREATE INDEX session_revocations_expiry ON session_revocations (expires_at);`,
  },
];

interface RevocationRow {
  seq: string;
  userId: string;
  sessionId: string | null;
  issuedBefore: Date | string | null;
  expiresAt: Date | string;
}

const ms = (t: Date | string) => new Date(t).getTime();

export interface SessionRevocationsOptions {
  /** How often to read what other replicas recorded (ms); the replica that handled it knows at once. */
  pollMs?: number;
  /** How often expired rows are deleted (ms). */
  purgeMs?: number;
}

/**
 * A service's view of revoked sessions: its `session_revocations` table, fed by `session:revoked`
 * in the same inbox transaction as any listener, mirrored in memory so that the check on each
 * request costs no query. The memory is updated by the replica that commits a revocation right
 * after the commit, and by every other replica of the service on its next poll (`pollMs`), so a
 * revoked token is refused everywhere well within API.md's 2 seconds. Nothing is ever asked of
 * auth on a request. A token of a user who just signed up is accepted at once: only revocations
 * are kept, never a list of valid sessions.
 *
 *   const revocations = new SessionRevocations(db);       // migrations: revocationMigrations
 *   await revocations.start();                            // before serving requests
 *   router.use('/api/tickets', refuseRevokedSessions(revocations));
 *   listeners.push(new SessionRevokedListener(db, 'tickets', revocations));
 */
export class SessionRevocations {
  /** Revoked session ids → when the entry may be forgotten (ms). */
  private readonly sessions = new Map<string, number>();
  /** User id → every token issued before `issuedBefore` (ms) is revoked, until `expiresAt`. */
  private readonly users = new Map<string, { issuedBefore: number; expiresAt: number }>();
  /** Rows up to this seq were read long enough ago that no transaction can still commit below it. */
  private settledSeq = 0;
  private readonly recentPolls: Array<{ at: number; maxSeq: number }> = [];
  private pollTimer: NodeJS.Timeout | undefined;
  private purgeTimer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private loaded = false;
  private readonly pollMs: number;
  private readonly purgeMs: number;

  constructor(
    private readonly db: Database,
    options: SessionRevocationsOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 200;
    this.purgeMs = options.purgeMs ?? 60_000;
  }

  /** Loads every live revocation, then keeps up with other replicas and purges expired rows. */
  async start(): Promise<void> {
    await this.purge();
    await this.poll();
    this.pollTimer = setInterval(() => void this.pollSafely(), this.pollMs);
    this.pollTimer.unref();
    this.purgeTimer = setInterval(() => void this.purge().catch(logFailure('purge')), this.purgeMs);
    this.purgeTimer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.pollTimer);
    clearInterval(this.purgeTimer);
    await this.polling;
  }

  /** True when `session` was signed out, or all of its user's sessions issued before it were. */
  isRevoked(session: Pick<Session, 'id' | 'sessionId' | 'issuedAt'>): boolean {
    if (this.sessions.has(session.sessionId)) return true;
    const user = this.users.get(session.id);
    return !!user && session.issuedAt < user.issuedBefore;
  }

  /** Stores a revocation inside the caller's transaction; call `remember` once it committed. */
  async record(tx: Queryable, revocation: Revocation): Promise<void> {
    await tx.query(
      `INSERT INTO session_revocations (user_id, session_id, issued_before, expires_at)
       VALUES ($1, $2, $3, $4)`,
      [revocation.userId, revocation.sessionId, revocation.issuedBefore, revocation.expiresAt],
    );
  }

  /** Applies a committed revocation to this replica's memory at once. */
  remember(revocation: Revocation): void {
    this.add({
      userId: revocation.userId,
      sessionId: revocation.sessionId,
      issuedBefore: revocation.issuedBefore,
      expiresAt: revocation.expiresAt,
    });
  }

  private add(row: Omit<RevocationRow, 'seq'>): void {
    const expiresAt = ms(row.expiresAt);
    if (expiresAt <= Date.now()) return;
    if (row.sessionId !== null) {
      this.sessions.set(row.sessionId, Math.max(expiresAt, this.sessions.get(row.sessionId) ?? 0));
    } else if (row.issuedBefore !== null) {
      const known = this.users.get(row.userId);
      this.users.set(row.userId, {
        issuedBefore: Math.max(ms(row.issuedBefore), known?.issuedBefore ?? 0),
        expiresAt: Math.max(expiresAt, known?.expiresAt ?? 0),
      });
    }
  }

  private pollSafely(): void {
    if (this.polling) return;
    this.polling = this.poll()
      .catch(logFailure('poll'))
      .finally(() => (this.polling = undefined));
  }

  /**
   * Reads rows other replicas committed. Sequence numbers are taken before commit, so a row can
   * appear below one already read: each poll reads again everything above the highest seq seen
   * at least 10 s ago (rows are idempotent to apply).
   */
  private async poll(): Promise<void> {
    const { rows } = await this.db.query<RevocationRow>(
      `SELECT seq::text AS seq, user_id AS "userId", session_id AS "sessionId",
              issued_before AS "issuedBefore", expires_at AS "expiresAt"
         FROM session_revocations WHERE seq > $1 AND expires_at > now() ORDER BY seq`,
      [this.settledSeq],
    );
    let maxSeq = this.recentPolls.at(-1)?.maxSeq ?? this.settledSeq;
    for (const row of rows) {
      this.add(row);
      maxSeq = Math.max(maxSeq, Number(row.seq));
    }
    const now = Date.now();
    if (!this.loaded) {
      // The first read loads everything; later ones look back past the last writes in flight.
      this.loaded = true;
      this.settledSeq = Math.max(0, maxSeq - IN_FLIGHT_SEQS);
    }
    this.recentPolls.push({ at: now, maxSeq });
    while (this.recentPolls.length > 1 && this.recentPolls[0]!.at < now - SETTLE_MS) {
      this.settledSeq = this.recentPolls.shift()!.maxSeq;
    }
  }

  /** Deletes rows whose tokens have all expired, and forgets them. */
  private async purge(): Promise<void> {
    await this.db.query('DELETE FROM session_revocations WHERE expires_at <= now()');
    const now = Date.now();
    for (const [id, expiresAt] of this.sessions) if (expiresAt <= now) this.sessions.delete(id);
    for (const [id, user] of this.users) if (user.expiresAt <= now) this.users.delete(id);
  }
}

const SETTLE_MS = 10_000;
/** More than the transactions that can be writing at once: a start-up read rereads this many. */
const IN_FLIGHT_SEQS = 100;

const logFailure = (what: string) => (error: unknown) =>
  logger.warn({ err: error }, `session revocations: ${what} failed, will retry`);

/**
 * Treats a revoked session as signed out: mount it before a service's routes. `currentUser`
 * verified the token's signature; this takes the user away again when the session was revoked.
 */
export function refuseRevokedSessions(revocations: SessionRevocations): RequestHandler {
  return (req, _res, next) => {
    if (req.currentUser && revocations.isRevoked(req.currentUser)) req.currentUser = undefined;
    next();
  };
}

/** Keeps a service's revocation table fed from `session:revoked`, and its memory right after each commit. */
export class SessionRevokedListener extends Listener<typeof Subjects.SessionRevoked> {
  readonly subject = Subjects.SessionRevoked;

  constructor(
    db: Database,
    consumer: string,
    private readonly revocations: SessionRevocations,
  ) {
    super(db, consumer);
  }

  async onMessage(data: Revocation, tx: Queryable): Promise<void> {
    await this.revocations.record(tx, data);
  }

  protected override async afterCommit(data: Revocation): Promise<void> {
    // Committed now (or by an earlier delivery): this replica refuses the session from here on.
    this.revocations.remember(data);
  }
}
