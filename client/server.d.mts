import type { IncomingMessage, ServerResponse } from 'node:http';

/** The client folder: the Next.js project, with its `next build` output in `.next/`. */
export declare const clientDir: string;

export interface ClientHandlerOptions {
  /** The client folder; defaults to the folder of server.mjs. */
  dir?: string;
  /**
   * Where server-side rendering sends its API calls, e.g. `http://127.0.0.1:3000`; a function
   * is asked on every request (for a host that knows its port only once listening).
   */
  apiOrigin: string | (() => string);
}

/** An express-compatible handler: the storefront's pages and assets. */
export type ClientHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  next?: (error?: unknown) => void,
) => void;

/** Prepares the built storefront (`next build` must have run) and returns its handler. */
export declare function createClientHandler(options: ClientHandlerOptions): Promise<ClientHandler>;
