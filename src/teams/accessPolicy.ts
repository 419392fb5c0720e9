import type { AppConfig } from '../config';
import type { Caller } from '../commands/commandTypes';
import type { Logger } from '../log';
import type { GraphClient } from '../upstream/graph/graphClient';

/** Decides who may use the bot at all (tenant) and who is an admin. */
export interface AccessPolicy {
  /** Is this tenant allowed to talk to the bot? */
  tenantAllowed(tenantId: string | null): boolean;
  isAdmin(caller: Omit<Caller, 'isAdmin'>): Promise<boolean>;
}

/** How long a group-membership answer is trusted: short, so removing an admin takes effect soon. */
const MEMBERSHIP_TTL_MS = 5 * 60_000;

/**
 * Admins are the Entra object ids listed in config (the demo admin in demo mode) and, when
 * `ADMIN_GROUP_ID` is set, members of that Entra group (asked of Graph, transitively, cached for
 * five minutes). Anyone else is an end user. Default deny: an unknown caller, or a Graph failure
 * while checking the group, is not an admin.
 */
export function configAccessPolicy(
  config: Pick<AppConfig, 'tenantId' | 'access'>,
  deps: { graph?: Pick<GraphClient, 'checkMemberGroups'>; logger?: Logger; now?: () => number } = {},
): AccessPolicy {
  const admins = new Set(config.access.adminUserIds.map((id) => id.toLowerCase()));
  const groupId = config.access.adminGroupId;
  const now = deps.now ?? Date.now;
  const memberships = new Map<string, { member: boolean; at: number }>();

  async function inAdminGroup(userId: string): Promise<boolean> {
    if (!groupId || !deps.graph) return false;
    const hit = memberships.get(userId);
    if (hit && now() - hit.at < MEMBERSHIP_TTL_MS) return hit.member;
    try {
      const member = (await deps.graph.checkMemberGroups(userId, [groupId])).includes(groupId);
      memberships.set(userId, { member, at: now() });
      return member;
    } catch (e) {
      deps.logger?.warn(
        { err: e, userId },
        'could not check the admin group; treating the caller as a non-admin',
      );
      return false;
    }
  }

  return {
    tenantAllowed: (tenantId) =>
      tenantId !== null && tenantId.toLowerCase() === config.tenantId.toLowerCase(),
    isAdmin: async (caller) => {
      if (caller.aadObjectId === null) return false;
      const id = caller.aadObjectId.toLowerCase();
      return admins.has(id) || (await inAdminGroup(id));
    },
  };
}
