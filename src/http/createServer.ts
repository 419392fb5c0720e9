import http from 'node:http';
import restify, { type Server } from 'restify';
import type { CloudAdapter, TurnContext } from 'botbuilder';
import type { Logger } from '../log';
import { checkActivityShape } from './checkActivityShape';
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
  metrics?: { render(): Promise<string>; contentType: string };
  /**
   * Files the bot serves under `/downloads/…` (the campaign CSV export): the hook checks the
   * signed link and returns the file, or null (→ 404, whatever was wrong with the link).
   */
  download?: (
    path: string,
    query: URLSearchParams,
  ) => Promise<{ filename: string; contentType: string; body: string } | null>;
}

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
 * Framework traffic (bodies over `maxBodyBytes` get 413 before any parsing or auth), `GET
 * /healthz` (the process is alive), `GET /readyz` (it can serve) and `GET /metrics`.
 */
export function createServer(deps: ServerDeps): Server {
  const server = restify.createServer({ name: 'jamf-compliance-bot', handleUncaughtExceptions: false });
  server.use(
    restify.plugins.bodyParser({ maxBodySize: deps.maxBodyBytes, mapParams: false, rejectUnknown: true }),
  );

  server.post('/api/messages', async (req, res) => {
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

  server.get('/healthz', async (_req, res) => {
    res.send(200, { status: 'ok', app: deps.appId ?? '' });
  });

  server.get('/readyz', async (_req, res) => {
    const r = await deps.ready().catch((e: unknown) => ({ ready: false, checks: { error: String(e) } }));
    res.send(r.ready ? 200 : 503, { status: r.ready ? 'ready' : 'not ready', checks: r.checks });
  });

  server.get('/metrics', async (_req, res) => {
    if (!deps.metrics) {
      res.send(404, { error: 'metrics are not enabled' });
      return;
    }
    const body = await deps.metrics.render();
    res.writeHead(200, { 'content-type': deps.metrics.contentType });
    res.end(body);
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
