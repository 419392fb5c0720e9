import { createHash } from 'node:crypto';
import { personalChatIds } from './personalChatIds';

/** The bot's app as the tenant's org app catalog lists it (`GET /appCatalogs/teamsApps`). */
export interface DemoCatalogApp {
  /** Catalog id (what `teamsApp@odata.bind` names). */
  id: string;
  /** The manifest id (`config.bot.manifestId`; the demo tenant's `configure` sets it). */
  externalId: string;
  displayName: string;
  distributionMethod: 'organization';
}

/**
 * Who has the bot installed in the demo tenant, shared by the Graph simulator (which serves and
 * changes it: `/users/{id}/teamwork/installedApps`) and the Bot Connector simulator (which refuses
 * a 1:1 with a user who lacks it, as Teams does). Everyone has the app unless a test or scenario
 * says otherwise (`uninstall`), so the rest of the demo works as before. The 1:1 chat an install
 * opens is named by Graph with its chat id (`19:{user}_{bot}@unq.gbl.spaces`), which the Bot
 * Connector stand-in accepts for the same chat as the user's `a:` conversation id.
 */
export class TeamsAppInstallations {
  readonly app: DemoCatalogApp;
  private readonly missing = new Set<string>();
  /** The tenant forbids installing the app for users (Graph answers 403). */
  blocked = false;

  /**
   * `manifestId`: the Teams app's manifest id; `botAppId`: the bot's Entra app id, which the
   * Graph chat id of a user's 1:1 names (the same as the manifest id unless told otherwise).
   */
  constructor(
    manifestId: string,
    readonly botAppId: string = manifestId,
  ) {
    this.app = {
      id: stableId('catalog', manifestId),
      externalId: manifestId,
      displayName: 'Jamf Compliance',
      distributionMethod: 'organization',
    };
  }

  /** The app is not installed for these users (test and demo setup). */
  uninstall(...aadObjectIds: string[]): void {
    for (const id of aadObjectIds) this.missing.add(id.toLowerCase());
  }

  /** Installs for the user; false when it already was (Graph's 409). */
  install(aadObjectId: string): boolean {
    const key = aadObjectId.toLowerCase();
    if (!this.missing.has(key)) return false;
    this.missing.delete(key);
    return true;
  }

  isInstalledFor(aadObjectId: string): boolean {
    return !this.missing.has(aadObjectId.toLowerCase());
  }

  /** False only for the 1:1 conversation (either id) of a user without the app; any other: true. */
  isInstalledIn(conversationId: string): boolean {
    const member = personalChatIds.memberOf(conversationId, this.botAppId);
    return member === null || this.isInstalledFor(member);
  }

  /** The user's installation id (stable, opaque as Graph's are). */
  installationId(aadObjectId: string): string {
    return stableId('install', `${aadObjectId.toLowerCase()}|${this.app.id}`);
  }

  /** Whether `installationId` is the user's current installation of the app. */
  userOfInstallation(installationId: string, aadObjectId: string): boolean {
    return this.installationId(aadObjectId) === installationId && this.isInstalledFor(aadObjectId);
  }

  /** The 1:1 chat with the bot as Graph names it (`GET …/installedApps/{id}/chat` → `id`). */
  chatId(aadObjectId: string): string {
    return personalChatIds.graphChatId(aadObjectId, this.botAppId);
  }
}

function stableId(kind: string, text: string): string {
  return createHash('sha256').update(`${kind}:${text}`).digest('base64url').slice(0, 40);
}
