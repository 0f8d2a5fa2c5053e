import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../../test-support/http.js';
import { dropDatabase, hasPostgres, uniqueDatabaseUrl } from '../../../../test-support/servers.js';
import type { Database } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { openPostgres } from '../db/postgres-database.js';
import { createEnvelope } from '../events/envelope.js';
import { Subjects } from '../events/subjects.js';
import { messagingMigrations } from '../messaging/messaging-migrations.js';
import {
  SessionRevocations,
  SessionRevokedListener,
  revocationMigrations,
  type Revocation,
} from './revocations.js';

const hour = 3_600_000;
const session = (userId: string, issuedAt = Date.now()) => ({
  id: userId,
  sessionId: randomUUID(),
  issuedAt,
});
const oneSession = (
  userId: string,
  sessionId: string,
  expiresAt = Date.now() + hour,
): Revocation => ({
  userId,
  sessionId,
  issuedBefore: null,
  expiresAt: new Date(expiresAt).toISOString(),
  reason: 'signout',
});
const allBefore = (userId: string, moment: number): Revocation => ({
  userId,
  sessionId: null,
  issuedBefore: new Date(moment).toISOString(),
  expiresAt: new Date(moment + hour).toISOString(),
  reason: 'signout-all',
});

/** Two replicas of one service: two processes' memories over one database. */
describe.skipIf(!hasPostgres)('SessionRevocations on PostgreSQL', () => {
  const url = uniqueDatabaseUrl('revocations');
  let db: Database;
  let replicaA: SessionRevocations;
  let replicaB: SessionRevocations;

  beforeAll(async () => {
    db = await openPostgres(url);
    await migrate(db, [...messagingMigrations, ...revocationMigrations]);
    replicaA = new SessionRevocations(db, { pollMs: 50 });
    replicaB = new SessionRevocations(db, { pollMs: 50 });
    await replicaA.start();
    await replicaB.start();
  });
  afterAll(async () => {
    await replicaA?.stop();
    await replicaB?.stop();
    await db?.close();
    await dropDatabase(url);
  });

  it('when a session is revoked through the listener, then the replica that handled it refuses it at once and its twin soon after', async () => {
    const user = randomUUID();
    const victim = session(user);
    const other = session(user);
    const listener = new SessionRevokedListener(db, 'svc', replicaA);
    const envelope = createEnvelope(Subjects.SessionRevoked, oneSession(user, victim.sessionId));
    expect(await listener.handle(envelope)).toBe(true);
    expect(replicaA.isRevoked(victim)).toBe(true);
    expect(replicaA.isRevoked(other)).toBe(false);
    await eventually(() => replicaB.isRevoked(victim), Boolean, 2_000);
    expect(replicaB.isRevoked(other)).toBe(false);
    // A redelivery is acknowledged with no second row.
    expect(await listener.handle(envelope)).toBe(false);
    const { rows } = await db.query('SELECT 1 FROM session_revocations WHERE user_id = $1', [user]);
    expect(rows).toHaveLength(1);
  });

  it('when all sessions issued before a moment are revoked, then older tokens are refused and one issued at that moment is not', async () => {
    const user = randomUUID();
    const moment = Date.now();
    await db.transaction((tx) => replicaA.record(tx, allBefore(user, moment)));
    await eventually(() => replicaB.isRevoked(session(user, moment - 1)), Boolean, 2_000);
    expect(replicaB.isRevoked(session(user, moment))).toBe(false);
    expect(replicaB.isRevoked(session(randomUUID(), moment - 1))).toBe(false);
  });

  it('when a new replica starts, then it knows every revocation still in force before it serves', async () => {
    const user = randomUUID();
    const victim = session(user);
    await db.transaction((tx) => replicaA.record(tx, oneSession(user, victim.sessionId)));
    const restarted = new SessionRevocations(db, { pollMs: 60_000 });
    await restarted.start();
    try {
      expect(restarted.isRevoked(victim)).toBe(true);
    } finally {
      await restarted.stop();
    }
  });

  it('when the tokens a revocation covers have expired, then its row is deleted and forgotten', async () => {
    const user = randomUUID();
    const soon = session(user);
    await db.transaction((tx) =>
      replicaA.record(tx, oneSession(user, soon.sessionId, Date.now() + 300)),
    );
    const purging = new SessionRevocations(db, { pollMs: 20, purgeMs: 100 });
    await purging.start();
    try {
      expect(purging.isRevoked(soon)).toBe(true);
      await eventually(async () => {
        const { rows } = await db.query('SELECT 1 FROM session_revocations WHERE user_id = $1', [
          user,
        ]);
        return rows.length === 0;
      });
      // Its token has expired by now anyway: the entry no longer matters and is gone from memory.
      expect(purging.isRevoked(soon)).toBe(false);
    } finally {
      await purging.stop();
    }
  });
});
