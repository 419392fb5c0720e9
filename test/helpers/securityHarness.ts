import { Writable } from 'node:stream';
import { createApp, type App } from '../../src/app';
import { configSecrets, loadConfig, type AppConfig } from '../../src/config';
import { startConnectorSimulator, type ConnectorSimulator } from '../../demo/connectorSimulator';
import { startDemoTenant, type DemoTenant, type DemoTenantOptions } from '../../demo/startDemoTenant';
import { createLogger, type Logger } from '../../src/log';

export interface SecureBot {
  app: App;
  config: AppConfig;
  demo: DemoTenant;
  connector: ConnectorSimulator;
  url: string;
  logger: Logger;
  /** Every log line the app wrote, as written (JSON text). */
  logLines: string[];
  /** Parsed log lines. */
  logs(): Record<string, unknown>[];
  /** POSTs a JSON activity (or any body) to /api/messages. */
  post(
    body: unknown,
    opts?: { headers?: Record<string, string>; raw?: boolean },
  ): Promise<{ status: number; text: string; json: unknown }>;
  close(): Promise<void>;
}

/**
 * The real app, demo tenant and Bot Connector stand-in, like `startBot`, but logging to memory
 * (secrets redacted as in production) and posting with any headers or raw bodies.
 */
export async function startSecureBot(
  env: Record<string, string> = {},
  demoOptions: DemoTenantOptions = {},
  adjust: (c: AppConfig) => AppConfig = (c) => c,
): Promise<SecureBot> {
  const demo = await startDemoTenant({ size: 120, ...demoOptions });
  const config = adjust(
    demo.configure(
      loadConfig({ PORT: '0', PLAYGROUND: 'false', LOG_LEVEL: 'info', DATABASE_PATH: ':memory:', ...env }),
    ),
  );
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logLines.push(chunk.toString());
      cb();
    },
  });
  const logger = createLogger({ level: 'info', destination, secrets: () => configSecrets(config) });
  const app = createApp(config, { logger });
  const { url } = await app.listen();
  const connector = await startConnectorSimulator({ tenantId: demo.fleet.tenantId });
  return {
    app,
    config,
    demo,
    connector,
    url,
    logger,
    logLines,
    logs: () => logLines.map((l) => JSON.parse(l) as Record<string, unknown>),
    async post(body, opts = {}) {
      if (!opts.raw) connector.learn(body);
      const res = await fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(opts.headers ?? {}) },
        body: opts.raw ? (body as string) : JSON.stringify(body),
      });
      const text = await res.text();
      let json: unknown = undefined;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        // not JSON
      }
      return { status: res.status, text, json };
    },
    async close() {
      await Promise.all([app.close(), connector.close(), demo.close()]);
    },
  };
}
