/**
 * Runs a piece of work once at a given moment, durably: a job scheduled before a crash or a
 * restart still runs after it. Two adapters implement it: `DatabaseScheduler` keeps the jobs in
 * the service's own database (the embedded mode), `BullMqScheduler` keeps them as delayed BullMQ
 * jobs in Redis (the distributed mode). A service is given one (a `SchedulerFactory`, chosen by
 * its host) and does not know which.
 *
 * Delivery is at least once: a job whose handler fails is retried, and a crash at the wrong moment
 * runs a job a second time, so handlers must be idempotent.
 */
export interface Scheduler {
  /**
   * Arranges for job `id` to come due at `dueAt` (at once if that has passed). Idempotent per id:
   * while a job with this id is pending, scheduling it again changes nothing, and the first due
   * time stands. Once the job has run, the id is free again.
   */
  schedule(id: string, dueAt: Date): Promise<void>;
  /** Starts running due jobs with `handler`, beginning with any that came due while stopped. */
  start(handler: DueHandler): Promise<void>;
  /**
   * Stops running jobs, waits for a handler in progress, and closes the scheduler's own
   * connections. Pending jobs stay stored for the next start. A stopped scheduler is not
   * restarted: make a new one on the same store.
   */
  stop(): Promise<void>;
  /** Resolves when the store answers; used by `/readyz`. */
  ping(): Promise<void>;
  /** Jobs scheduled and not done yet, including those waiting for a retry. */
  pending(): Promise<number>;
}

/**
 * How a host hands a service its scheduler: the host picks the adapter (`DatabaseScheduler` from
 * `@ticketing/common/database-scheduler`, `BullMqScheduler` from `@ticketing/common/bullmq`), the
 * service makes it once, when it knows what to do on `onReconnect`, and then owns it (starts it
 * with its start, stops it with its stop).
 */
export type SchedulerFactory = (hooks: SchedulerHooks) => Scheduler | Promise<Scheduler>;

export interface SchedulerHooks {
  /**
   * Called each time the scheduler's store is reachable again after it was lost; the store may
   * have come back empty (Redis without persistence), so the service re-schedules from its own
   * record. An adapter whose store is the service's own database never calls it.
   */
  onReconnect: () => void;
}

/** A job that has come due. */
export interface DueJob {
  id: string;
  dueAt: Date;
  /** 1 on the first run, 2 on the first retry, and so on. */
  attempt: number;
}

/** Runs a due job: returning completes it (it is forgotten), throwing has it retried later. */
export type DueHandler = (job: DueJob) => Promise<void>;

/** Delay before retry N+1 after failed attempt N (the last value repeats): never given up on. */
export const defaultSchedulerBackoffMs: readonly number[] = [
  100, 500, 1_000, 2_000, 5_000, 10_000, 30_000,
];

export const schedulerBackoffFor = (backoffMs: readonly number[], attempt: number): number =>
  backoffMs[Math.min(Math.max(attempt, 1) - 1, backoffMs.length - 1)] ?? 1_000;

/**
 * Job ids are the caller's (an order id, say), the same on every adapter. BullMQ refuses ids that
 * contain ':' or read as integers, so every adapter refuses them, and code tested on one adapter
 * runs on the other.
 */
export function checkJobId(id: string): void {
  if (!id || id.length > 200 || id.includes(':') || /^-?\d+$/.test(id)) {
    throw new Error(
      `invalid job id ${JSON.stringify(id)}: 1-200 characters, no ':', not an integer`,
    );
  }
}

/** `dueAt` must be a real moment; an Invalid Date would otherwise fire at once or never. */
export function checkDueAt(dueAt: Date): void {
  if (!(dueAt instanceof Date) || Number.isNaN(dueAt.getTime())) {
    throw new Error('dueAt must be a valid Date');
  }
}

/**
 * Jobs a host lets one scheduler run at once (DatabaseScheduler's and BullMQ's `concurrency`): a
 * burst of orders expires as a burst, and one at a time its round trips queue up behind each
 * other (47 s late at the 50th percentile under the bench's lag load, 29 s with 8). Expiry and
 * reminder handlers are independent of each other and idempotent.
 */
export const HOST_SCHEDULER_CONCURRENCY = 8;
