import type { EntraUser } from '../compliance/types';
import { UpstreamError } from '../errors';
import type { GraphClient } from '../upstream/graph/graphClient';
import { toEntraUser, toPage } from '../upstream/graph/graphMappers';
import { encodeODataComponent, odataQuery } from '../upstream/graph/odata';

/** A group's (transitive) user members with what the fleet join matches on, and the pages it took. */
export interface GroupMemberUsers {
  /** Object ids of every member, nested groups included. */
  memberIds: string[];
  users: EntraUser[];
  /** Graph round trips: one per page of 999. */
  pages: number;
}

const MEMBER_SELECT = 'id,userPrincipalName,mail,displayName';
const MAX_PAGES = 10_000;

/**
 * Pages `/groups/{id}/transitiveMembers` with the users' UPN and mail selected, so the same pages
 * that tell who is in the connector group also resolve most Macs' users without a lookup each.
 * `GraphClient.listGroupMemberIds` selects ids only and the client offers no raw GET, so each
 * page goes through `GraphClient.batch` as a one-step `$batch`: still one round trip per page.
 * A group that no longer exists has no members (Intune then targets nobody). `signal` stops it
 * between pages.
 */
export async function listGroupMemberUsers(
  graph: Pick<GraphClient, 'batch'>,
  groupId: string,
  signal?: AbortSignal,
): Promise<GroupMemberUsers> {
  const out: GroupMemberUsers = { memberIds: [], users: [], pages: 0 };
  const seen = new Set<string>();
  let url: string | undefined =
    `/groups/${encodeODataComponent(groupId)}/transitiveMembers` +
    odataQuery({ $select: MEMBER_SELECT, $top: 999 });
  while (url !== undefined) {
    signal?.throwIfAborted();
    if (out.pages >= MAX_PAGES || seen.has(url)) {
      throw new UpstreamError(
        'graph',
        'bad_response',
        'Microsoft Graph kept paging group members without end',
      );
    }
    seen.add(url);
    const [result] = await graph.batch([{ method: 'GET', url }]);
    out.pages++;
    if (result?.error?.code === 'not_found' && out.pages === 1) return out;
    if (result?.error) throw result.error;
    const page = toPage(result?.body, 'member list');
    for (const item of page.value) {
      const m = item as { '@odata.type'?: unknown; id?: unknown };
      if (typeof m.id !== 'string') continue;
      out.memberIds.push(m.id);
      if (m['@odata.type'] === '#microsoft.graph.user') out.users.push(toEntraUser(item));
    }
    url = page.nextLink;
  }
  return out;
}
