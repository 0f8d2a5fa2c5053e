import { logger } from '../observability/logger.js';
import { fatalErrors } from '../observability/metrics.js';

export interface ProcessEndOptions {
  /** Names the process in logs (`auth`, `embedded`, `topology`). */
  name: string;
  /** Closes what the process holds (HTTP, consumers, relay, bus, databases); called once. */
  stop: () => Promise<void>;
  /** After this many ms the process exits with 1 even if `stop` has not finished. */
  graceMs: number;
}

/**
 * How a host process ends, in one place for every host (the standalone service, the embedded
 * app, the local topology, the gateway):
 *
 * - SIGTERM or SIGINT: `stop`, then exit 0 — what Kubernetes and Ctrl-C ask for.
 * - An error nobody caught (`uncaughtException`, `unhandledRejection`): logged at `fatal`,
 *   counted in `process_fatal_errors_total`, then `stop` and exit 1, so the orchestrator (or
 *   the topology's supervisor) starts a fresh process. Node's documentation: after an uncaught
 *   exception the process is in an undefined state and "it is not safe to resume normal
 *   operation" (nodejs.org/api/process.html, "Warning: Using 'uncaughtException' correctly");
 *   practica.js's "handle errors centrally" shows the same handler. Whatever was committed is
 *   safe either way: the outbox and the inbox make a stop at any moment lose nothing.
 * - Whatever comes first wins; a second signal or error while stopping changes nothing but the
 *   exit code (an error while stopping makes it 1).
 * - If `stop` takes longer than `graceMs`, or fails, the process exits 1 anyway.
 */
export function endProcessGracefully(options: ProcessEndOptions): void {
  let code: number | undefined;
  const end = (reason: string, exitCode: number) => {
    if (code !== undefined) {
      code = Math.max(code, exitCode);
      return;
    }
    code = exitCode;
    logger.info({ service: options.name, reason }, 'shutting down');
    const deadline = setTimeout(() => {
      logger.error({ service: options.name }, 'graceful shutdown timed out');
      process.exit(1);
    }, options.graceMs);
    deadline.unref();
    options.stop().then(
      () => process.exit(code),
      (error: unknown) => {
        logger.error({ service: options.name, err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  const fatal = (kind: 'uncaughtException' | 'unhandledRejection') => (error: unknown) => {
    fatalErrors.inc({ kind });
    logger.fatal({ service: options.name, err: error, kind }, 'uncaught error: stopping');
    end(kind, 1);
  };
  process.on('SIGTERM', () => end('SIGTERM', 0));
  process.on('SIGINT', () => end('SIGINT', 0));
  process.on('uncaughtException', fatal('uncaughtException'));
  process.on('unhandledRejection', fatal('unhandledRejection'));
}
