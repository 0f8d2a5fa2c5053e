import type { Job, Queue, Worker } from 'bullmq';
import type { Redis, RedisOptions } from 'ioredis';
import { logger } from '../observability/logger.js';
import {
  checkDueAt,
  checkJobId,
  defaultSchedulerBackoffMs,
  schedulerBackoffFor,
  type DueHandler,
  type Scheduler,
} from './scheduler.js';

export interface BullMqSchedulerOptions {
  /** `redis://` or `rediss://` URL of the Redis that keeps the delayed jobs. */
  url: string;
  /** One queue per kind of job (no ':'); scheduling the same id on it twice is deduplicated. */
  queueName: string;
  /** Prefix of every Redis key of the queue (BullMQ's default: `bull`); isolates tests. */
  prefix?: string;
  /** Delay before retry N+1 after failed attempt N; the last value repeats. */
  backoffMs?: readonly number[];
  /** Attempts before a job is given up and left in BullMQ's failed set (about a month). */
  maxAttempts?: number;
  /** Jobs one worker runs at once; 1 keeps them in due-time order. */
  concurrency?: number;
  /**
   * How long a worker's hold on a running job lasts without renewal: a worker that died (SIGKILL,
   * lost host) gives its job back this long after its last renewal.
   */
  lockDurationMs?: number;
  /** How often workers look for jobs whose worker died (BullMQ's stalled-job check). */
  stalledIntervalMs?: number;
  /** Times a job may be given back by a dead worker before it is failed. */
  maxStalledCount?: number;
  /**
   * Called each time the queue's Redis connection becomes ready again after it was lost: Redis
   * may have come back empty (no persistence), so the caller re-schedules from its own record.
   */
  onReconnect?: () => void;
  /**
   * How long `schedule` waits for Redis before it fails: BullMQ itself waits for a connection for
   * as long as Redis is down, and a caller (a listener, a sweep) must not hang meanwhile.
   */
  timeoutMs?: number;
}

interface JobData {
  dueAt: string;
}

const JOB_NAME = 'due';
/** A job type that is not built in makes BullMQ use the worker's `backoffStrategy`. */
const BACKOFF_TYPE = 'scheduler';

/**
 * The distributed mode's scheduler: each job is a delayed BullMQ job in Redis whose `jobId` is the
 * caller's id, which deduplicates scheduling. A failing handler is retried with a backoff; a
 * worker that dies mid-job loses its lock and the job is run again by a live worker (a "stalled"
 * job). Several replicas may share the queue: each job runs on one of them.
 *
 * `bullmq` and `ioredis` are loaded only when the scheduler is first used, so services that never
 * make one (and the embedded mode) do not load them.
 */
export class BullMqScheduler implements Scheduler {
  private queue: Promise<Queue<JobData>> | undefined;
  private worker: Worker<JobData> | undefined;
  private readonly connections: Redis[] = [];
  private queueClient: Redis | undefined;
  private readonly backoffMs: readonly number[];
  private stopped = false;

  constructor(private readonly options: BullMqSchedulerOptions) {
    if (!options.queueName || options.queueName.includes(':')) {
      throw new Error('queueName must be non-empty and contain no ":"');
    }
    this.backoffMs = options.backoffMs?.length ? options.backoffMs : defaultSchedulerBackoffMs;
  }

  async schedule(id: string, dueAt: Date): Promise<void> {
    checkJobId(id);
    checkDueAt(dueAt);
    await withTimeout(this.add(id, dueAt), this.options.timeoutMs ?? 5_000, 'schedule');
  }

  private async add(id: string, dueAt: Date): Promise<void> {
    const queue = await this.openQueue();
    // An id already in the queue (delayed, waiting, running, or failed for good) is left as is.
    await queue.add(
      JOB_NAME,
      { dueAt: dueAt.toISOString() },
      {
        jobId: id,
        delay: Math.max(0, dueAt.getTime() - Date.now()),
        attempts: this.options.maxAttempts ?? 100_000,
        backoff: { type: BACKOFF_TYPE },
        removeOnComplete: true,
        // A job given up on stays visible for an operator.
        removeOnFail: false,
      },
    );
  }

  async start(handler: DueHandler): Promise<void> {
    if (this.worker || this.stopped) throw new Error('scheduler already started');
    const { Worker } = await import('bullmq');
    const { options } = this;
    const worker = new Worker<JobData>(
      options.queueName,
      (job: Job<JobData>) =>
        handler({ id: job.id!, dueAt: new Date(job.data.dueAt), attempt: job.attemptsMade + 1 }),
      {
        // The worker duplicates this client for its own (blocking) connections, which BullMQ
        // requires to retry forever: `maxRetriesPerRequest: null`.
        connection: await this.connect({ maxRetriesPerRequest: null, lazyConnect: true }),
        prefix: options.prefix,
        concurrency: options.concurrency ?? 1,
        lockDuration: options.lockDurationMs ?? 10_000,
        stalledInterval: options.stalledIntervalMs ?? 5_000,
        maxStalledCount: options.maxStalledCount ?? 10,
        settings: {
          backoffStrategy: (attemptsMade: number) =>
            schedulerBackoffFor(this.backoffMs, attemptsMade),
        },
      },
    );
    worker.on('error', (error) =>
      logger.warn({ err: error, queue: options.queueName }, 'scheduler worker error'),
    );
    worker.on('failed', (job, error) =>
      logger.warn(
        { err: error, jobId: job?.id, attempt: job?.attemptsMade, queue: options.queueName },
        'scheduled job failed',
      ),
    );
    this.worker = worker;
    await worker.waitUntilReady();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    // Waits for a job in progress; its lock is released so nothing stalls.
    await this.worker?.close();
    const queue = await this.queue?.catch(() => undefined);
    await queue?.close();
    await Promise.all(
      this.connections.map(async (c) => {
        // The worker's own client is only a template for its duplicates and never connects.
        if (c.status !== 'ready') return c.disconnect();
        await c.quit().catch(() => c.disconnect());
      }),
    );
  }

  async ping(): Promise<void> {
    await this.openQueue();
    await this.queueClient!.ping();
  }

  async pending(): Promise<number> {
    const queue = await this.openQueue();
    return queue.getJobCountByTypes('delayed', 'waiting', 'active', 'prioritized');
  }

  /** The queue, made on first use, on a Redis client of its own. */
  private openQueue(): Promise<Queue<JobData>> {
    if (this.stopped) return Promise.reject(new Error('scheduler is stopped'));
    this.queue ??= (async () => {
      const { Queue } = await import('bullmq');
      // Fails a command after a few reconnection attempts instead of queueing it forever, so
      // `schedule` reports an outage and its caller (a listener) is retried by the bus.
      this.queueClient = await this.connect({ maxRetriesPerRequest: 3 });
      let lost = false;
      this.queueClient.on('close', () => (lost = true));
      this.queueClient.on('ready', () => {
        if (!lost) return;
        lost = false;
        this.options.onReconnect?.();
      });
      const queue = new Queue<JobData>(this.options.queueName, {
        connection: this.queueClient,
        prefix: this.options.prefix,
      });
      queue.on('error', (error) =>
        logger.warn({ err: error, queue: this.options.queueName }, 'scheduler queue error'),
      );
      return queue;
    })();
    return this.queue;
  }

  private async connect(options: RedisOptions): Promise<Redis> {
    const { Redis } = await import('ioredis');
    const client = new Redis(this.options.url, options);
    // Without a listener, a connection error would be printed by ioredis; BullMQ reports it.
    client.on('error', (error: unknown) =>
      logger.debug({ err: error, queue: this.options.queueName }, 'redis connection error'),
    );
    this.connections.push(client);
    return client;
  }
}

/** `work`, or a rejection once `ms` have passed without it settling (it goes on regardless). */
function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer ${what} within ${ms} ms`)), ms);
  });
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
