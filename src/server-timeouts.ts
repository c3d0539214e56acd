/** Time limits on the Node HTTP server against slow clients (slowloris headers, trickled bodies). */

export const REQUEST_TIMEOUT_MS = 30_000;
export const HEADERS_TIMEOUT_MS = 20_000;

export interface ServerTimeouts {
  requestTimeout: number;
  headersTimeout: number;
}

/** A whole request must arrive within 30 s and its headers within 20 s, or Node answers 408 and closes. */
export function configureServerTimeouts<S extends ServerTimeouts>(server: S): S {
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  return server;
}
