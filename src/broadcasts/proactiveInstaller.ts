import pLimit from 'p-limit';
import { UpstreamError } from '../errors';
import type { GraphClient } from '../upstream/graph/graphClient';

/**
 * Installing the app for a user failed for good: the tenant blocks the app, the Graph permission
 * (`TeamsAppInstallation.ReadWriteSelfForUser.All`) is missing, the user does not exist (404), or
 * the app is not in the tenant's catalog. The outbox row fails as `install_refused`; retrying
 * would meet the same answer.
 */
export class InstallRefusedError extends Error {
  constructor(readonly detail: string) {
    super(`The app could not be installed for the user: ${detail}`);
    this.name = 'InstallRefusedError';
  }
}

/** Installs the bot for a user through Graph and says which 1:1 chat that opened. */
export interface ProactiveInstaller {
  /**
   * Installs the app in the user's personal scope (already installed — Graph's 409 — counts as
   * installed) and returns the id of the user's chat with the bot: Graph's chat id
   * (`19:{user}_{bot}@unq.gbl.spaces`), not the Bot Framework `a:…` id the user's own activities
   * carry. Microsoft's "Send proactive installation messages" has the bot message the user with
   * it, and the Bot Connector accepts it as the conversation id of that same 1:1; so the bot
   * keeps it as the conversation id (no extra create-conversation request) and paces and
   * de-duplicates by the user, never by the id (`personalThreadKey`, the per-user outbox and
   * frequency cap). Throws `InstallRefusedError` when Graph refuses; other failures
   * (`UpstreamError` 429/5xx/timeouts) are transient.
   */
  install(aadObjectId: string): Promise<string>;
}

export type InstallGraph = Pick<
  GraphClient,
  'findCatalogAppId' | 'installAppForUser' | 'findUserAppInstallation' | 'getInstallationChatId'
>;

export interface ProactiveInstallerOptions {
  graph: InstallGraph;
  /** The Teams app manifest id (`config.bot.manifestId`), the catalog's `externalId`. */
  manifestId: string;
  /** Installs under way at once: Graph calls are not Bot Connector requests, but are bounded too. */
  concurrency: number;
}

/**
 * `POST /users/{id}/teamwork/installedApps`, then the installation (`$filter=teamsApp/externalId
 * eq '…'`) and its `chat`, as FACTS.md describes. The catalog id is looked up once and cached
 * (a failed look-up is asked again next time).
 */
export function createProactiveInstaller(opts: ProactiveInstallerOptions): ProactiveInstaller {
  const { graph, manifestId } = opts;
  const limit = pLimit(Math.max(1, opts.concurrency));
  let catalogId: Promise<string> | null = null;

  /** 403 (blocked, no permission) and 404 (no such user, or the catalog app is gone) are final. */
  const refused = (e: unknown): never => {
    if (e instanceof UpstreamError && (e.code === 'forbidden' || e.code === 'not_found')) {
      if (e.code === 'not_found') catalogId = null;
      throw new InstallRefusedError(
        `Graph ${e.status ?? (e.code === 'forbidden' ? 403 : 404)}: ${e.message}`,
      );
    }
    throw e;
  };

  const lookUpCatalogId = (): Promise<string> => {
    catalogId ??= graph
      .findCatalogAppId(manifestId)
      .catch(refused)
      .then((id) => {
        if (id === null) {
          throw new InstallRefusedError(
            `the app ${manifestId} is not in the tenant's app catalog (upload it in the Teams admin center)`,
          );
        }
        return id;
      });
    catalogId.catch(() => {
      catalogId = null;
    });
    return catalogId;
  };

  return {
    install: (aadObjectId) =>
      limit(async () => {
        const appId = await lookUpCatalogId();
        await graph.installAppForUser(aadObjectId, appId).catch(refused);
        const installationId = await graph.findUserAppInstallation(aadObjectId, manifestId).catch(refused);
        if (installationId === null) {
          // Graph said installed but does not list it yet: try the row again later.
          throw new UpstreamError('graph', 'unavailable', 'the new installation is not listed yet');
        }
        return graph.getInstallationChatId(aadObjectId, installationId).catch(refused);
      }),
  };
}
