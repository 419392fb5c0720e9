import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';

export interface InFlightTracker {
  /** Most requests to the host in flight at once since the last reset. */
  peak(): number;
  reset(): void;
  stop(): void;
}

/**
 * Counts this process's `node:http(s)` requests to one host (`127.0.0.1:PORT`) from the moment
 * they are sent until their response body has ended or they failed, through Node's diagnostics
 * channels: the client's own view of its concurrency, which needs no hook in the client (axios,
 * under the Jamf client, uses `node:https`). A simulator's own count can run high when its event
 * loop is busy: it sees the next request before it has processed the end of the previous one.
 */
export function trackInFlight(host: string): InFlightTracker {
  const open = new Set<ClientRequest>();
  let peak = 0;
  const mine = (req: ClientRequest) => String(req.getHeader('host') ?? '') === host;
  const done = (req: ClientRequest) => open.delete(req);
  const onStart = (m: unknown) => {
    const { request } = m as { request: ClientRequest };
    if (!mine(request)) return;
    open.add(request);
    peak = Math.max(peak, open.size);
  };
  const onResponse = (m: unknown) => {
    const { request, response } = m as { request: ClientRequest; response: IncomingMessage };
    if (open.has(request)) response.once('close', () => done(request));
  };
  const onError = (m: unknown) => done((m as { request: ClientRequest }).request);
  subscribe('http.client.request.start', onStart);
  subscribe('http.client.response.finish', onResponse);
  subscribe('http.client.request.error', onError);
  return {
    peak: () => peak,
    reset: () => {
      peak = open.size;
    },
    stop: () => {
      unsubscribe('http.client.request.start', onStart);
      unsubscribe('http.client.response.finish', onResponse);
      unsubscribe('http.client.request.error', onError);
    },
  };
}
