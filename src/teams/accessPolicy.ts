import type { AppConfig } from '../config';
import type { Caller, ConversationInfo } from '../commands/commandTypes';
import type { Logger } from '../log';
import type { GraphClient } from '../upstream/graph/graphClient';

/** Decides who may use the bot at all (tenant) and who is an admin. */
export interface AccessPolicy {
  /** Is this tenant allowed to talk to the bot? */
  tenantAllowed(tenantId: string | null): boolean;
  /** Is the caller an admin here? `conversation` matters only with an admin team configured. */
  isAdmin(caller: Omit<Caller, 'isAdmin'>, conversation?: ConversationInfo): Promise<boolean>;
}

/**
 * The start-up warning when nobody can be an admin (production's default deny), else null.
 * Admin commands and buttons are then refused to everyone, which is safe but surprising.
 */
export function adminAccessWarning(config: Pick<AppConfig, 'access'>): string | null {
  const a = config.access;
  if (a.adminUserIds.length || a.adminGroupId || a.adminTeamId) return null;
  return 'no bot admins are configured (ADMIN_USER_IDS, ADMIN_GROUP_ID, ADMIN_TEAM_ID), so every admin command and admin button is refused to everyone';
}

/** How long a group-membership answer is trusted: short, so removing an admin takes effect soon. */
const MEMBERSHIP_TTL_MS = 5 * 60_000;

/**
 * Admins are the Entra object ids listed in config (the demo admin in local demo mode), members
 * of `ADMIN_GROUP_ID` (asked of Graph, transitively, cached for five minutes) and, when
 * `ADMIN_TEAM_ID` is set, whoever speaks in that team's channels (or in `ADMIN_TEAM_CHANNEL_ID`
 * only) — Teams vouches for the team membership, as the message reached the bot from there.
 * Anyone else is an end user. Default deny: nothing configured, an unknown caller, or a Graph
 * failure while checking the group, is not an admin.
 */
export function configAccessPolicy(
  config: Pick<AppConfig, 'tenantId' | 'access'>,
  deps: {
    graph?: Pick<GraphClient, 'checkMemberGroups'>;
    logger?: Logger;
    now?: () => number;
    /** The group check gives up (not an admin) after this long, so the turn keeps its 15 s. */
    checkTimeoutMs?: number;
  } = {},
): AccessPolicy {
  const admins = new Set(config.access.adminUserIds.map((id) => id.toLowerCase()));
  const groupId = config.access.adminGroupId;
  const now = deps.now ?? Date.now;
  const memberships = new Map<string, { member: boolean; at: number }>();

  async function inAdminGroup(userId: string): Promise<boolean> {
    if (!groupId || !deps.graph) return false;
    const hit = memberships.get(userId);
    if (hit && now() - hit.at < MEMBERSHIP_TTL_MS) return hit.member;
    let timer: NodeJS.Timeout | undefined;
    try {
      const graph = deps.graph;
      const member = await Promise.race([
        graph.checkMemberGroups(userId, [groupId]).then((ids) => ids.includes(groupId)),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error('the admin group check took too long')),
            deps.checkTimeoutMs ?? 4_000,
          );
        }),
      ]);
      memberships.set(userId, { member, at: now() });
      return member;
    } catch (e) {
      deps.logger?.warn(
        { err: e, userId },
        'could not check the admin group; treating the caller as a non-admin',
      );
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  function inAdminTeam(conversation: ConversationInfo | undefined): boolean {
    const { adminTeamId, adminTeamChannelId } = config.access;
    if (!adminTeamId || conversation?.scope !== 'channel' || conversation.teamId !== adminTeamId)
      return false;
    return adminTeamChannelId === null || conversation.channelId === adminTeamChannelId;
  }

  return {
    tenantAllowed: (tenantId) =>
      tenantId !== null && tenantId.toLowerCase() === config.tenantId.toLowerCase(),
    isAdmin: async (caller, conversation) => {
      if (inAdminTeam(conversation)) return true;
      if (caller.aadObjectId === null) return false;
      const id = caller.aadObjectId.toLowerCase();
      return admins.has(id) || (await inAdminGroup(id));
    },
  };
}
