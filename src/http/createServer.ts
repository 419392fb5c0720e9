import http, { type IncomingHttpHeaders } from 'node:http';
import restify, { type Server } from 'restify';
import type { CloudAdapter, TurnContext } from 'botbuilder';
import type { Logger } from '../log';
import { checkActivityShape } from './checkActivityShape';
import { writeMetrics, type MetricsSource } from './createMetricsServer';
import { bearerMatches, isForwarded, type MetricsAccess } from './metricsAccess';
import type { InFlightTurns } from './inFlightTurns';

export interface ServerDeps {
  adapter: CloudAdapter;
  /** Runs one turn (the bot's `run`). */
  logic: (context: TurnContext) => Promise<void>;
  logger: Logger;
  maxBodyBytes: number;
  /**
   * The bot's Microsoft app id, answered by `/healthz` so the setup doctor can tell that
   * PUBLIC_URL reaches this bot and not another (the id is public: it is in the Teams manifest).
   */
  appId?: string;
  /** Readiness: everything the bot needs is up (store open, upstream configured). */
  ready: () => Promise<{ ready: boolean; checks: Record<string, string> }>;
  /** Turns in flight; once it stops accepting (shutdown), new activities get 503. */
  turns?: InFlightTurns;
  /** Prometheus text for `GET /metrics`. */
  metrics?: MetricsSource;
  /**
   * Who `GET /metrics` answers here (src/http/metricsAccess.ts): anyone in local mode (but not
   * through a proxy or tunnel), a bearer of METRICS_TOKEN, or nobody (404). Default: nobody.
   */
  metricsAccess?: MetricsAccess;
  /**
   * Files the bot serves under `/downloads/…` (the campaign CSV export): the hook checks the
   * signed link and returns the file, or null (→ 404, whatever was wrong with the link).
   */
  download?: (
    path: string,
    query: URLSearchParams,
  ) => Promise<{ filename: string; contentType: string; body: string } | null>;
  /**
   * `POST /api/webhooks/jamf` (src/live/jamfWebhookIntake.ts); absent = the route answers 404.
   * `admit` sees the headers before any of the body is read; `accept` gets the body (at most
   * `maxBodyBytes`, else 413 before parsing).
   */
  jamfWebhook?: {
    maxBodyBytes: number;
    admit(headers: IncomingHttpHeaders): WebhookAnswer | null;
    accept(body: string, contentType: string): Promise<WebhookAnswer>;
  };
}

/** What a webhook hook answers: status and JSON body. */
export interface WebhookAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** Where Jamf Pro posts its webhooks (`setup webhooks` points them here). */
export const JAMF_WEBHOOK_PATH = '/api/webhooks/jamf';

/**
 * Importing restify replaces `http.ServerResponse.prototype.writeHead` for every server in the
 * process with a version that returns undefined; Node's contract is that it returns the
 * response (`res.writeHead(200).end()`). The demo tenant's simulators run in the bot's process
 * and rely on that contract, so it is restored once, here, where restify enters.
 */
function restoreWriteHeadContract(): void {
  type WriteHead = http.ServerResponse['writeHead'] & { returnsResponse?: boolean };
  const proto = http.ServerResponse.prototype as unknown as { writeHead: WriteHead };
  // Marked on the function, not the prototype: restify patches again whenever its module is
  // loaded afresh (each jest test file), and that new patch must be wrapped again.
  if (proto.writeHead.returnsResponse) return;
  const restifyWriteHead = proto.writeHead;
  const writeHead = function writeHead(this: http.ServerResponse, ...args: unknown[]) {
    (restifyWriteHead as (...a: unknown[]) => unknown).apply(this, args);
    return this;
  } as WriteHead;
  writeHead.returnsResponse = true;
  proto.writeHead = writeHead;
}
restoreWriteHeadContract();

/**
 * The HTTP edge, and the only module that imports restify: `POST /api/messages` for Bot
 * Framework traffic (bodies over `maxBodyBytes` get 413 before any parsing or auth), `POST
 * /api/webhooks/jamf` for Jamf Pro's webhooks (secret header first, then its own body limit),
 * `GET /healthz` (the process is alive), `GET /readyz` (it can serve) and `GET /metrics`.
 */
export function createServer(deps: ServerDeps): Server {
  const server = restify.createServer({ name: 'jamf-compliance-bot', handleUncaughtExceptions: false });
  // Per route, not `server.use`: the webhook route has its own limit and takes XML.
  const activityBody = restify.plugins.bodyParser({
    maxBodySize: deps.maxBodyBytes,
    mapParams: false,
    rejectUnknown: true,
  });

  server.post('/api/messages', ...activityBody, async (req: restify.Request, res: restify.Response) => {
    if (deps.turns && !deps.turns.accepting) {
      res.header('Retry-After', '5');
      res.send(503, { error: 'The bot is shutting down; send the activity again.' });
      return;
    }
    if (!req.is('application/json')) {
      res.send(415, { error: 'Send the activity as application/json.' });
      return;
    }
    if (req.body === null || typeof req.body !== 'object' || Array.isArray(req.body)) {
      res.send(400, { error: 'The body must be a Bot Framework activity (a JSON object).' });
      return;
    }
    const malformed = checkActivityShape(req.body);
    if (malformed) {
      res.send(400, { error: malformed });
      return;
    }
    try {
      const turn = () => deps.adapter.process(req, res, deps.logic);
      await (deps.turns ? deps.turns.run(turn) : turn());
    } catch (e) {
      deps.logger.error({ err: e }, 'activity processing failed');
      if (!res.headersSent) res.send(500, { error: 'The bot could not process the activity.' });
    }
  });

  const webhook = deps.jamfWebhook;
  server.post(
    JAMF_WEBHOOK_PATH,
    (req: restify.Request, res: restify.Response, next: restify.Next) => {
      // Refused before the body is read: the connection is closed rather than drained.
      const refuse = (status: number, body: Record<string, unknown>) => {
        res.header('connection', 'close');
        res.send(status, body);
        return next(false);
      };
      if (!webhook)
        return refuse(404, { error: 'Jamf webhooks are not enabled (JAMF_WEBHOOK_SECRET is not set).' });
      const refused = webhook.admit(req.headers);
      if (refused) return refuse(refused.status, refused.body);
      if (req.getContentLength() > webhook.maxBodyBytes)
        return refuse(413, { error: `The body is larger than ${webhook.maxBodyBytes} bytes.` });
      // A compressed body could expand past the limit after it was counted.
      const encoding = req.headers['content-encoding'];
      if (encoding !== undefined && encoding !== 'identity')
        return refuse(415, { error: 'Send the webhook uncompressed.' });
      return next();
    },
    restify.plugins.bodyReader({ maxBodySize: webhook?.maxBodyBytes ?? 1 }),
    async (req: restify.Request, res: restify.Response) => {
      const raw: unknown = req.body;
      const body = Buffer.isBuffer(raw) ? raw.toString('utf8') : typeof raw === 'string' ? raw : '';
      const answer = await webhook!.accept(body, req.header('content-type', ''));
      res.send(answer.status, answer.body);
    },
  );

  server.get('/healthz', async (_req, res) => {
    res.send(200, { status: 'ok', app: deps.appId ?? '' });
  });

  server.get('/readyz', async (_req, res) => {
    const r = await deps.ready().catch((e: unknown) => ({ ready: false, checks: { error: String(e) } }));
    res.send(r.ready ? 200 : 503, { status: r.ready ? 'ready' : 'not ready', checks: r.checks });
  });

  server.get('/metrics', async (req, res) => {
    const access = deps.metricsAccess ?? { kind: 'off' };
    if (!deps.metrics || access.kind === 'off' || (access.kind === 'open' && isForwarded(req.headers))) {
      res.send(404, { error: 'metrics are not served on this address' });
      return;
    }
    if (access.kind === 'token' && !bearerMatches(req.headers.authorization, access.token)) {
      res.header('WWW-Authenticate', 'Bearer realm="metrics"');
      res.send(401, { error: 'metrics need the bearer token (METRICS_TOKEN)' });
      return;
    }
    await writeMetrics(deps.metrics, res);
  });

  server.get('/downloads/*', async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://bot');
    const file = await deps.download?.(url.pathname, url.searchParams).catch((e: unknown) => {
      deps.logger.error({ err: e }, 'download failed');
      return null;
    });
    if (!file) {
      res.send(404, {
        error: 'This link is not valid or has expired: press Export CSV again for a new one.',
      });
      return;
    }
    res.writeHead(200, {
      'content-type': file.contentType,
      'content-disposition': `attachment; filename="${file.filename.replace(/[^\w.-]/g, '_')}"`,
      'cache-control': 'no-store',
    });
    res.end(file.body);
  });

  server.on('restifyError', (req, _res, err, cb) => {
    deps.logger.info(
      { method: req.method, url: req.url, status: err.statusCode, error: err.message },
      'request refused',
    );
    return cb();
  });
  return server;
}
