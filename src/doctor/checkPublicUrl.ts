import { markdownLiteral } from '../compliance/markdownLiteral';
import type { SetupCheck } from '../compliance/setupCheckTypes';
import type { SetupCheckDeps } from './setupCheckDeps';

type Result = Omit<SetupCheck, 'id' | 'title'>;

/**
 * PUBLIC_URL set, https, and serving this bot: its `/healthz` answers with this bot's app id
 * (another bot, a proxy's error page or nothing at all fail). In local mode (no
 * MICROSOFT_APP_ID) Teams cannot reach the bot anyway, so it is skipped.
 */
export async function checkPublicUrl(
  deps: Pick<SetupCheckDeps, 'config' | 'fetch' | 'publicUrlTimeoutMs'>,
): Promise<Result> {
  const { config } = deps;
  if (config.mode === 'demo' || config.bot.localMode) {
    return {
      status: 'skip',
      detail:
        'Local mode (no MICROSOFT_APP_ID): Teams cannot reach this bot, so its public address is not checked.',
    };
  }
  const url = config.broadcast.publicUrl;
  const setIt =
    'Set PUBLIC_URL to the bot’s public https address (the Azure Bot’s messaging endpoint without /api/messages).';
  if (!url)
    return {
      status: 'fail',
      detail: 'PUBLIC_URL is not set: download links and the app package have no address.',
      fix: setIt,
    };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { status: 'fail', detail: `PUBLIC_URL (${markdownLiteral(url)}) is not a URL.`, fix: setIt };
  }
  if (parsed.protocol !== 'https:') {
    return {
      status: 'fail',
      detail: `PUBLIC_URL (${markdownLiteral(url)}) is not https; Teams only calls https endpoints.`,
      fix: setIt,
    };
  }
  const health = `${url.replace(/\/+$/, '')}/healthz`;
  const get = deps.fetch ?? fetch;
  let body: unknown;
  try {
    const res = await get(health, { signal: AbortSignal.timeout(deps.publicUrlTimeoutMs ?? 5_000) });
    if (!res.ok) {
      return {
        status: 'fail',
        detail: `${markdownLiteral(health)} answered ${res.status}.`,
        fix: 'Check that PUBLIC_URL points at this bot (ingress, DNS, proxy) and the bot is running.',
      };
    }
    body = await res.json().catch(() => null);
  } catch (e) {
    return {
      status: 'fail',
      detail: `${markdownLiteral(health)} did not answer (${markdownLiteral(e instanceof Error ? e.message : String(e))}).`,
      fix: 'Check DNS, the ingress and the TLS certificate of PUBLIC_URL, and that the bot is running there.',
    };
  }
  const app = (body as { app?: unknown } | null)?.app;
  if (app !== config.bot.appId) {
    return {
      status: 'fail',
      detail: `${markdownLiteral(health)} answers, but not as this bot (app id ${typeof app === 'string' && app ? app : 'none'}, expected ${config.bot.appId}).`,
      fix: 'Point PUBLIC_URL at this bot’s address; another bot or service answers there.',
    };
  }
  return { status: 'pass', detail: `${markdownLiteral(url)} is https and answers as this bot.` };
}
