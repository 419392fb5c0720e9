import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AppConfig } from '../config';
import type { DeviceViewers } from '../commands/deviceAnswer';
import { REFRESH_USER_IDS_MAX } from '../cards/deviceCardModel';
import type { Logger } from '../log';
import type { GraphClient } from '../upstream/graph/graphClient';

/** How long the admin group's member list is reused for cards' `refresh.userIds`. */
const MEMBERS_TTL_MS = 5 * 60_000;

/**
 * Who sees a shared device card's full view: the admins the bot knows by id (`ADMIN_USER_IDS`,
 * then members of `ADMIN_GROUP_ID`, read from Graph and kept five minutes; at most 60, Teams'
 * limit). Admins of `ADMIN_TEAM_ID` are admins by where they speak, not by id: they press
 * Refresh (which re-checks them) rather than get the full card automatically. Signatures use a
 * key made per process: after a restart a non-admin's refresh of an older card is refused and
 * they keep seeing the read-only card they had.
 */
export function deviceViewers(
  config: Pick<AppConfig, 'access'>,
  deps: {
    graph?: Pick<GraphClient, 'listGroupMemberIds'>;
    logger?: Logger;
    key?: Buffer;
    now?: () => number;
  } = {},
): DeviceViewers {
  const key = deps.key ?? randomBytes(32);
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
    createHmac('sha256', key).update(`device.view\n${computerId}`).digest('base64url');

  return {
    async adminIds() {
      const ids = [...adminUserIds, ...(await groupMembers())].map((id) => id.toLowerCase());
      return [...new Set(ids)].slice(0, REFRESH_USER_IDS_MAX);
    },
    sign,
    verify(computerId, signature) {
      const want = Buffer.from(sign(computerId));
      const got = Buffer.from(signature);
      return want.length === got.length && timingSafeEqual(want, got);
    },
  };
}
