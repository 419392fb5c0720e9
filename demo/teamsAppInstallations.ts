import { createHash } from 'node:crypto';
import { conversationIdFor } from './connectorSimulator';

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
 * creates is the Bot Connector conversation the simulator gives that user.
 */
export class TeamsAppInstallations {
  readonly app: DemoCatalogApp;
  private readonly missing = new Set<string>();
  private readonly missingByConversation = new Map<string, string>();
  /** The tenant forbids installing the app for users (Graph answers 403). */
  blocked = false;

  constructor(manifestId: string) {
    this.app = {
      id: stableId('catalog', manifestId),
      externalId: manifestId,
      displayName: 'Jamf Compliance',
      distributionMethod: 'organization',
    };
  }

  /** The app is not installed for these users (test and demo setup). */
  uninstall(...aadObjectIds: string[]): void {
    for (const id of aadObjectIds) {
      const key = id.toLowerCase();
      this.missing.add(key);
      this.missingByConversation.set(conversationIdFor(id), key);
    }
  }

  /** Installs for the user; false when it already was (Graph's 409). */
  install(aadObjectId: string): boolean {
    const key = aadObjectId.toLowerCase();
    if (!this.missing.has(key)) return false;
    this.missing.delete(key);
    for (const [conv, user] of this.missingByConversation)
      if (user === key) this.missingByConversation.delete(conv);
    return true;
  }

  isInstalledFor(aadObjectId: string): boolean {
    return !this.missing.has(aadObjectId.toLowerCase());
  }

  /** False only for the 1:1 conversation of a user without the app (any other conversation: true). */
  isInstalledIn(conversationId: string): boolean {
    return !this.missingByConversation.has(conversationId);
  }

  /** The user's installation id (stable, opaque as Graph's are). */
  installationId(aadObjectId: string): string {
    return stableId('install', `${aadObjectId.toLowerCase()}|${this.app.id}`);
  }

  /** Whether `installationId` is the user's current installation of the app. */
  userOfInstallation(installationId: string, aadObjectId: string): boolean {
    return this.installationId(aadObjectId) === installationId && this.isInstalledFor(aadObjectId);
  }

  /** The 1:1 chat with the bot: the same id the Bot Connector simulator gives the conversation. */
  chatId(aadObjectId: string): string {
    return conversationIdFor(aadObjectId);
  }
}

function stableId(kind: string, text: string): string {
  return createHash('sha256').update(`${kind}:${text}`).digest('base64url').slice(0, 40);
}
