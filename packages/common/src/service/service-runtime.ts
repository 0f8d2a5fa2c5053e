import { Router } from 'express';
import type { EventBus } from '../bus/event-bus.js';
import type { Database } from '../db/database.js';
import type { ApiDescription } from '../http/openapi.js';
import { migrate, type Migration } from '../db/migrate.js';
import type { Subject } from '../events/subjects.js';
import type { Listener } from '../messaging/listener.js';
import { postgresRateLimits, type RateLimits } from '../rate-limit/rate-limits.js';
import { messagingMigrations } from '../messaging/messaging-migrations.js';
import { OutboxRelay, notifyingRelayAfterCommit } from '../messaging/outbox-relay.js';
import { RetentionSweep, defaultRetention, type RetentionPolicy } from '../messaging/retention.js';
import {
  SessionRevocations,
  SessionRevokedListener,
  refuseRevokedSessions,
  revocationMigrations,
} from '../session/revocations.js';

/** What every service module hands to whoever runs it: the standalone main or the embedded host. */
export interface Service {
  name: string;
  /** Routes with their full public paths (`/api/users/...`). */
  router: Router;
  /** The operations `router` serves, for the OpenAPI document (`http/openapi.ts`); none if none. */
  api?: ApiDescription;
  /** Subscribes its listeners and starts relaying its outbox. */
  start(): Promise<void>;
  /** Stops consuming and relaying; the caller closes the database and the bus it passed in. */
  stop(): Promise<void>;
  readinessChecks: Record<string, () => Promise<void>>;
}

/** What a service is given to run on; the adapters behind these are the host's choice. */
export interface ServiceDeps {
  db: Database;
  bus: EventBus;
  /**
   * Where per-user and per-client limits count (`rate-limit/rate-limits.ts`): Redis when the host
   * has it, else PostgreSQL. Absent, a service counts in its own database
   * (`postgresRateLimits(db)`), which its replicas share.
   */
  rateLimits?: RateLimits;
  /** How long the outbox and inbox keep finished rows; `defaultRetention` when absent. */
  retention?: RetentionPolicy;
}

/** The limits store the host chose, or the service's own database when it chose none. */
export function rateLimitsOf(deps: ServiceDeps): RateLimits {
  return deps.rateLimits ?? postgresRateLimits(deps.db);
}

/**
 * The plumbing every service shares: its migrations after the outbox/inbox tables, a relay for
 * its outbox, a database handle that wakes the relay after each commit, and the retention sweep
 * that keeps the outbox and inbox from growing for ever.
 */
export class ServiceRuntime {
  private constructor(
    readonly name: string,
    /** Use this handle for all writes: commits through it are relayed at once. */
    readonly db: Database,
    readonly bus: EventBus,
    readonly relay: OutboxRelay,
    /** Deletes outbox and inbox rows past their retention, hourly. */
    readonly retention: RetentionSweep,
    /** The service's revoked sessions, when it authenticates (`sessions` option). */
    readonly sessions?: SessionRevocations,
    private readonly sessionsListener?: SessionRevokedListener,
  ) {}

  static async create(
    name: string,
    deps: ServiceDeps,
    migrations: Migration[],
    options: {
      relayPollMs?: number;
      relayLeaseMs?: number;
      /**
       * Whether the service authenticates requests and so keeps a revocation table: `consumer`
       * feeds it from `session:revoked`; `source` (auth) records its own revocations directly.
       */
      sessions?: 'consumer' | 'source';
    } = {},
  ): Promise<ServiceRuntime> {
    const tables = options.sessions ? revocationMigrations : [];
    await migrate(deps.db, [...messagingMigrations, ...tables, ...migrations]);
    const relay = new OutboxRelay(deps.db, deps.bus, {
      service: name,
      pollMs: options.relayPollMs,
      leaseMs: options.relayLeaseMs,
    });
    const db = notifyingRelayAfterCommit(deps.db, relay);
    const sessions = options.sessions ? new SessionRevocations(db) : undefined;
    const listener =
      sessions && options.sessions === 'consumer'
        ? new SessionRevokedListener(db, name, sessions)
        : undefined;
    const retention = new RetentionSweep(deps.db, name, deps.retention ?? defaultRetention);
    return new ServiceRuntime(name, db, deps.bus, relay, retention, sessions, listener);
  }

  /**
   * `router` behind this service's revocation check for requests under `prefix` (one path, or
   * every path of a service that serves more than one): a revoked
   * session is signed out there. Each service checks its own table, also when one HTTP app hosts
   * them all (embedded mode).
   */
  authenticated(prefix: string | string[], router: Router): Router {
    if (!this.sessions) throw new Error(`${this.name} was created without the sessions option`);
    return Router().use(prefix, refuseRevokedSessions(this.sessions)).use(router);
  }

  async start(listeners: Listener<Subject>[] = []): Promise<void> {
    // Revocations are loaded before anything is served, so a restart forgets none.
    await this.sessions?.start();
    const all = this.sessionsListener ? [...listeners, this.sessionsListener] : listeners;
    for (const listener of all) await listener.listen(this.bus);
    this.relay.start();
    this.retention.start();
  }

  async stop(): Promise<void> {
    await this.retention.stop();
    await this.sessions?.stop();
    await this.relay.stop();
  }

  get readinessChecks(): Record<string, () => Promise<void>> {
    return { database: () => this.db.ping(), bus: () => this.bus.ping() };
  }
}
