import http from 'node:http';
import https from 'node:https';
import { toConnectorSendError } from './toConnectorSendError';

/** The name the policy carries in a client's pipeline (added once per client). */
export const REMINDER_SEND_POLICY = 'reminderSendEvidence';

/** How long a reminder's request may take, answer included, unless the transport is told otherwise. */
export const DEFAULT_SEND_TIMEOUT_MS = 30_000;

/**
 * How long a kept-alive socket may sit idle before it is closed. Below the 5 s that Node servers
 * (and many proxies) keep an idle connection: a socket the far end already dropped would take
 * the next reminder's whole request and then reset — a send in doubt for nothing.
 */
export const IDLE_SOCKET_MS = 4_000;

/** The header every request of the Azure pipeline carries its id in (`setClientRequestIdPolicy`). */
const REQUEST_ID_HEADER = 'x-ms-client-request-id';

/** The parts of @azure/core-rest-pipeline's `PipelineRequest` this policy touches. */
export interface PipelineRequestLike {
  url: string;
  requestId: string;
  headers: { has(name: string): boolean; set(name: string, value: string): void };
  agent?: unknown;
  tlsSettings?: unknown;
  abortSignal?: AbortSignal;
}

/** @azure/core-rest-pipeline's `PipelinePolicy`, structurally. */
export interface PipelinePolicyLike {
  name: string;
  sendRequest(
    request: PipelineRequestLike,
    next: (r: PipelineRequestLike) => Promise<unknown>,
  ): Promise<unknown>;
}

/** What one request showed: written whole, and on which `ClientRequest` (whose socket may be reused). */
interface Evidence {
  written: boolean;
  req: http.ClientRequest | null;
}

/** Node's `Agent` hands each request to `addRequest` (not in @types/node). */
interface RequestTakingAgent {
  addRequest(req: http.ClientRequest, options: unknown): void;
}

/**
 * A pipeline policy for the reminders' `ConnectorClient`: whether a request that failed had been
 * **written** (its last byte handed to a connected socket — `finish` on Node's `ClientRequest`,
 * which a socket that never connected or never finished its TLS handshake does not reach), and a
 * time limit on the whole exchange. Failures leave it as `ConnectorSendError` with that evidence,
 * so a reset or timeout before the request was out is retried and one after it is in doubt.
 * The requests go through this policy's own keep-alive agents, which watch each request by its
 * id; a request that already has an agent (a proxy from `HTTPS_PROXY`) or custom TLS settings
 * keeps them, and its evidence is "unknown" (the classifier then goes by the error code).
 */
export function reminderSendPolicy(
  timeoutMs = DEFAULT_SEND_TIMEOUT_MS,
  idleSocketMs = IDLE_SOCKET_MS,
): PipelinePolicyLike {
  const written = new Map<string, Evidence>();
  const watch = (req: http.ClientRequest) => {
    const id = req.getHeader(REQUEST_ID_HEADER);
    const evidence = typeof id === 'string' ? written.get(id) : undefined;
    if (!evidence) return;
    evidence.req = req;
    req.once('finish', () => (evidence.written = true));
  };
  const observing = <A extends http.Agent>(agent: A): A => {
    const taking = agent as unknown as RequestTakingAgent;
    const addRequest = taking.addRequest.bind(agent);
    taking.addRequest = (req, options) => {
      watch(req);
      addRequest(req, options);
    };
    return agent;
  };
  // `timeout` with keep-alive: Node closes a free socket idle that long (a request in flight is
  // bounded by `timeoutMs` instead; the HTTP client sets no listener that would cut it).
  const agents = {
    http: observing(new http.Agent({ keepAlive: true, timeout: idleSocketMs })),
    https: observing(new https.Agent({ keepAlive: true, timeout: idleSocketMs })),
  };

  return {
    name: REMINDER_SEND_POLICY,
    async sendRequest(request, next) {
      const observed = request.agent === undefined && request.tlsSettings === undefined;
      const evidence: Evidence = { written: false, req: null };
      if (observed) {
        if (!request.headers.has(REQUEST_ID_HEADER))
          request.headers.set(REQUEST_ID_HEADER, request.requestId);
        written.set(request.requestId, evidence);
        request.agent = request.url.startsWith('https:') ? agents.https : agents.http;
      }
      const controller = new AbortController();
      const outer = request.abortSignal;
      if (outer?.aborted) controller.abort();
      else outer?.addEventListener('abort', () => controller.abort(), { once: true });
      request.abortSignal = controller.signal;
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, timeoutMs);
      try {
        return await next(request);
      } catch (e) {
        throw toConnectorSendError(e, {
          requestWritten: observed ? evidence.written : null,
          timedOut,
          reusedSocket: observed ? (evidence.req?.reusedSocket ?? false) : null,
        });
      } finally {
        clearTimeout(timer);
        written.delete(request.requestId);
      }
    },
  };
}
