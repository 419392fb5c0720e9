import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AppConfig } from '../config';
import type { DeviceViewers } from '../commands/deviceAnswer';
import { REFRESH_USER_IDS_MAX } from '../cards/deviceCardModel';
import type { Logger } from '../log';
import type { GraphClient } from '../upstream/graph/graphClient';

/** How long the admin group's member list is reused for cards' `refresh.userIds`. */
const MEMBERS_TTL_MS = 5 * 60_000;

/** What the signing key is made from. */
type SigningConfig = {
  access: Pick<AppConfig['access'], 'cardSigningKey'>;
  bot: Pick<AppConfig['bot'], 'appPassword'>;
  broadcast?: Pick<AppConfig['broadcast'], 'downloadSigningKey'>;
};

/**
 * The key that signs shared cards' refresh data, the same on every instance and after a restart:
 * HKDF over `CARD_SIGNING_KEY`, else over a secret every instance already has — the bot's app
 * password, or `DOWNLOAD_SIGNING_KEY` for a UserAssignedMSI bot (infra/azure.bicep sets it); HKDF
 * with its own label keeps that secret out of any signature and this key apart from its other use.
 * Null when there is none (local mode).
 */
export function cardSigningKey(config: SigningConfig): Buffer | null {
  const secret =
    config.access.cardSigningKey || config.bot.appPassword || config.broadcast?.downloadSigningKey;
  if (!secret) return null;
  return Buffer.from(hkdfSync('sha256', secret, 'jamf-compliance-bot', 'device-card-refresh', 32));
}

/**
 * Who sees a shared device card's full view: the admins the bot knows by id (`ADMIN_USER_IDS`,
 * then members of `ADMIN_GROUP_ID`, read from Graph and kept five minutes; at most 60, Teams'
 * limit), listed as Teams user MRIs (`8:orgid:<object id>`). Admins of `ADMIN_TEAM_ID` are admins
 * by where they speak, not by id: the card's refresh (automatic in chats under 60 people, the
 * card menu's Refresh above) re-checks them there. Signatures use `cardSigningKey`; without one,
 * a key made per process (a warning says so in tenant mode).
 */
export function deviceViewers(
  config: SigningConfig & Pick<AppConfig, 'access'> & Partial<Pick<AppConfig, 'mode'>>,
  deps: {
    graph?: Pick<GraphClient, 'listGroupMemberIds'>;
    logger?: Logger;
    key?: Buffer;
    now?: () => number;
  } = {},
): DeviceViewers {
  let key = deps.key ?? cardSigningKey(config);
  if (!key) {
    if (config.mode === 'tenant')
      deps.logger?.warn(
        'CARD_SIGNING_KEY is not set and the bot has no app password or DOWNLOAD_SIGNING_KEY: shared device cards are signed with a key made per process, so after a restart (or on another instance) non-admins keep the card as posted',
      );
    key = randomBytes(32);
  }
  const signingKey = key;
  const now = deps.now ?? Date.now;
  const { adminUserIds, adminGroupId } = config.access;
  let members: { at: number; ids: Promise<string[]> } | null = null;

  const groupMembers = (): Promise<string[]> => {
    if (!adminGroupId || !deps.graph) return Promise.resolve([]);
    if (members && now() - members.at < MEMBERS_TTL_MS) return members.ids;
    const ids = deps.graph
      .listGroupMemberIds(adminGroupId, { transitive: true, usersOnly: true })
      .catch((err: unknown) => {
        deps.logger?.warn({ err }, "could not read the admin group's members for a card's refresh");
        members = null;
        return [];
      });
    members = { at: now(), ids };
    return ids;
  };
  const sign = (computerId: string): string =>
    createHmac('sha256', signingKey).update(`device.view\n${computerId}`).digest('base64url');

  return {
    async adminIds() {
      const ids = [...adminUserIds, ...(await groupMembers())].map((id) => id.toLowerCase());
      return [...new Set(ids)].slice(0, REFRESH_USER_IDS_MAX).map((id) => `8:orgid:${id}`);
    },
    sign,
    verify(computerId, signature) {
      const want = Buffer.from(sign(computerId));
      const got = Buffer.from(signature);
      return want.length === got.length && timingSafeEqual(want, got);
    },
  };
}
