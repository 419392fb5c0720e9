import type { FleetMembership } from '../compliance/fleetSnapshotTypes';
import { readThrottled } from './readThrottled';
import type { SyncRunContext } from './syncRunContext';

/** Where a round of `groups/delta` over the tracked groups stands (saved with a full build). */
export interface GroupRoundState {
  /** The groups the current round covers: the connector's, and nested ones found so far. */
  tracked: string[];
  /** Nested groups found in this round, for the next round. */
  pending: string[];
  next: string | null;
  deltaLink: string | null;
}

export const membershipKey = (m: Pick<FleetMembership, 'groupId' | 'memberId'>): string =>
  `${m.groupId}/${m.memberId}`;

/**
 * Reads the tracked groups' direct members in initial `groups/delta` rounds, page after page
 * (each handed to `onPage` with the state after it, so a build can save both together). A member
 * that is itself a group is tracked too: when a round ends having found new ones, a new round
 * over all of them starts, until none appears — one deltaLink then covers every tracked group.
 */
export async function readGroupMemberships(
  ctx: SyncRunContext,
  state: GroupRoundState,
  onPage: (memberships: FleetMembership[], state: GroupRoundState) => Promise<void>,
): Promise<GroupRoundState> {
  let s = { ...state };
  while (s.tracked.length > 0 && s.deltaLink === null) {
    const { next, tracked } = s;
    const page = await readThrottled(
      'groups/delta',
      () => ctx.graph.groupMembersDeltaPage(next ? { link: next } : { round: 'initial', groupIds: tracked }),
      ctx.throttle,
    );
    const known = new Set([...s.tracked, ...s.pending].map((g) => g.toLowerCase()));
    const found: FleetMembership[] = [];
    const pending = [...s.pending];
    for (const g of page.items) {
      for (const m of g.added) {
        found.push({ groupId: g.groupId, memberId: m.id, memberType: m.type });
        if (m.type === 'group' && !known.has(m.id.toLowerCase())) {
          known.add(m.id.toLowerCase());
          pending.push(m.id);
        }
      }
    }
    s = { tracked: s.tracked, pending, next: page.nextLink, deltaLink: page.deltaLink };
    if (s.deltaLink !== null && s.pending.length > 0)
      s = { tracked: [...s.tracked, ...s.pending], pending: [], next: null, deltaLink: null };
    await onPage(found, s);
  }
  return s;
}
