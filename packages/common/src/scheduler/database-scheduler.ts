import type { Database } from '../db/database.js';
import { GroupCommit } from '../db/group-commit.js';
import { migrate, type Migration } from '../db/migrate.js';
import { logger } from '../observability/logger.js';
import {
  checkDueAt,
  checkJobId,
  defaultSchedulerBackoffMs,
  schedulerBackoffFor,
  type DueHandler,
  type Scheduler,
} from './scheduler.js';

/** The table of pending jobs, in the database of the service that schedules them. */
export const schedulerMigrations: Migration[] = [
  {
    id: 'scheduler_001_scheduled_jobs',
    sql: `
      CREATE TABLE scheduled_jobs (
        id text PRIMARY KEY,
        due_at timestamptz NOT NULL,
        -- due_at until a run fails, then the time of the next retry
        run_at timestamptz NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX scheduled_jobs_run_at ON scheduled_jobs (run_at);`,
  },
];

export interface DatabaseSchedulerOptions {
  /** Delay before retry N+1 after failed run N; the last value repeats. */
  backoffMs?: readonly number[];
  /**
   * A safety net only: the timer is armed for the next due job exactly, and this slow poll re-reads
   * the table in case the wall clock jumped (timers count monotonic time).
   */
  pollMs?: number;
  /**
   * Jobs run at once (default 1: one at a time, in due-time order). More starts them in due-time
   * order but lets a backlog (a burst of orders expiring together) overlap its round trips.
   */
  concurrency?: number;
}

/** setTimeout's longest delay (about 24.8 days); a longer wait is armed in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Jobs read per query; a pass reads again until nothing due is left. */
const BATCH = 100;

interface JobRow {
  id: string;
  dueAt: Date;
  attempts: number;
}

/**
 * The embedded mode's scheduler: pending jobs are rows of the service's own database, and one
 * timer is armed for the earliest of them. A job is deleted only after its handler returned, so
 * a crash at any point leaves it in the table, and the next start runs it (at once if overdue).
 * A failing handler is retried with a short backoff, for as long as it takes.
 *
 * Handlers run one at a time (or `concurrency` at once), started in due-time order, outside any
 * transaction of the scheduler's, so a handler holds no scheduler lock while it opens its own
 * transaction.
 *
 * One running instance per database: two processes on one database would both run a due job
 * (harmless for idempotent handlers, but wasteful). The distributed mode uses BullMQ instead.
 */
export class DatabaseScheduler implements Scheduler {
  private handler: DueHandler | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** When the timer is armed for (epoch ms); undefined when no timer is armed. */
  private armedAt: number | undefined;
  private poll: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private readonly backoffMs: readonly number[];

  private constructor(
    private readonly db: Database,
    private readonly options: DatabaseSchedulerOptions,
  ) {
    this.backoffMs = options.backoffMs?.length ? options.backoffMs : defaultSchedulerBackoffMs;
  }

  /** Creates the jobs table if needed (its own migration) and returns a scheduler on `db`. */
  static async create(
    db: Database,
    options: DatabaseSchedulerOptions = {},
  ): Promise<DatabaseScheduler> {
    await migrate(db, schedulerMigrations);
    return new DatabaseScheduler(db, options);
  }

  async schedule(id: string, dueAt: Date): Promise<void> {
    checkJobId(id);
    checkDueAt(dueAt);
    const inserted = await this.inserts.write({ id, dueAt });
    // The row is committed: a timer that fires from here on finds it.
    if (inserted && this.handler) this.armAt(dueAt.getTime());
  }

  /**
   * Jobs scheduled together (a burst of new orders) go in one INSERT; true for each job that was
   * not pending already.
   */
  private readonly inserts = new GroupCommit<{ id: string; dueAt: Date }, boolean>(async (jobs) => {
    const { rows } = await this.db.query<{ id: string }>(
      `INSERT INTO scheduled_jobs (id, due_at, run_at)
         SELECT id, due_at, due_at FROM unnest($1::text[], $2::timestamptz[]) AS j (id, due_at)
         ON CONFLICT (id) DO NOTHING RETURNING id`,
      [jobs.map((j) => j.id), jobs.map((j) => j.dueAt)],
    );
    const inserted = new Set(rows.map((row) => row.id));
    return jobs.map((j) => inserted.delete(j.id)); // a second copy in the batch: not new
  });

  async start(handler: DueHandler): Promise<void> {
    if (this.handler || this.stopped) throw new Error('scheduler already started');
    this.handler = handler;
    this.poll = setInterval(() => this.requestPass(), this.options.pollMs ?? 30_000);
    this.poll.unref();
    // Runs whatever came due while stopped, then arms the timer for the next job.
    this.requestPass();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.poll);
    this.disarm();
    while (this.running) await this.running;
  }

  async ping(): Promise<void> {
    await this.db.ping();
  }

  async pending(): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM scheduled_jobs',
    );
    return rows[0]?.n ?? 0;
  }

  /** Arms the timer for `time` unless it is armed for that time or earlier already. */
  private armAt(time: number): void {
    if (this.stopped) return;
    if (this.armedAt !== undefined && this.armedAt <= time) return;
    this.disarm();
    this.armedAt = time;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.armedAt = undefined;
        this.requestPass();
      },
      Math.min(Math.max(time - Date.now(), 0), MAX_TIMER_MS),
    );
    this.timer.unref();
  }

  private disarm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.armedAt = undefined;
  }

  /** Runs a pass now; passes never overlap, and a request during one runs another after it. */
  private requestPass(): void {
    if (this.stopped || !this.handler) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.runDue()
      .then(() => this.armForNext())
      .catch((error: unknown) => {
        // The database itself failed (a handler's failure is handled per job): try again soon.
        logger.warn({ err: error }, 'scheduler pass failed; will retry');
        this.armAt(Date.now() + 1_000);
      })
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.requestPass();
        }
      });
  }

  /** Runs every job due by now, earliest first, until none is left. */
  private async runDue(): Promise<void> {
    for (;;) {
      const { rows } = await this.db.query<JobRow>(
        `SELECT id, due_at AS "dueAt", attempts FROM scheduled_jobs
         WHERE run_at <= $1 ORDER BY run_at, due_at, id LIMIT $2`,
        // The process's clock, the one the timer counts by, decides what is due.
        [new Date(), BATCH],
      );
      if (!rows.length) return;
      // `concurrency` runners take the jobs in due-time order, each the next one not started.
      let next = 0;
      const runner = async () => {
        while (next < rows.length && !this.stopped) await this.runOne(rows[next++]!);
      };
      const runners = Math.min(Math.max(1, this.options.concurrency ?? 1), rows.length);
      await Promise.all(Array.from({ length: runners }, runner));
      if (this.stopped) return;
    }
  }

  private async runOne(job: JobRow): Promise<void> {
    const attempt = job.attempts + 1;
    try {
      await this.handler!({ id: job.id, dueAt: job.dueAt, attempt });
    } catch (error) {
      const delay = schedulerBackoffFor(this.backoffMs, attempt);
      logger.warn({ err: error, jobId: job.id, attempt, retryInMs: delay }, 'scheduled job failed');
      await this.db.query(
        'UPDATE scheduled_jobs SET attempts = $2, run_at = $3, last_error = $4 WHERE id = $1',
        [job.id, attempt, new Date(Date.now() + delay), String(error).slice(0, 1_000)],
      );
      return;
    }
    // Deleted only now: a crash before this line runs the job again after a restart.
    await this.deletes.write(job.id);
  }

  /** Jobs that finished together are deleted in one statement. */
  private readonly deletes = new GroupCommit<string>(async (ids) => {
    await this.db.query('DELETE FROM scheduled_jobs WHERE id = ANY($1::text[])', [ids]);
    return ids.map(() => undefined);
  });

  private async armForNext(): Promise<void> {
    if (this.stopped) return;
    const { rows } = await this.db.query<{ next: Date | null }>(
      'SELECT min(run_at) AS next FROM scheduled_jobs',
    );
    const next = rows[0]?.next;
    if (next) this.armAt(next.getTime());
  }
}
