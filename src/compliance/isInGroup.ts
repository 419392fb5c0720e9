import type { JamfGroupMembership } from './types';

/**
 * Whether a Mac's Jamf group memberships include the group a criterion names. Config may hold
 * either the smart group's id or its name, and names are typed by hand, so names compare
 * case-insensitively and ignoring surrounding spaces.
 */
export function isInGroup(groups: readonly JamfGroupMembership[], group: string): boolean {
  const want = group.trim();
  if (want === '') return false;
  const wantName = want.toLowerCase();
  return groups.some((g) => g.groupId === want || g.groupName.trim().toLowerCase() === wantName);
}
