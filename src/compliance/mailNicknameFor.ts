/** Characters Entra refuses in a `mailNickname` (plus anything outside printable ASCII). */
const FORBIDDEN = /[@()\\[\]";:<>,\s]+/g;

/**
 * A `mailNickname` for a new security group, from its display name: printable ASCII only,
 * without the characters Entra refuses, at most 64 characters. Deterministic, so planning
 * twice gives the same body. Security groups do not need a unique nickname.
 */
export function mailNicknameFor(displayName: string): string {
  const ascii = displayName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '');
  const nick = ascii
    .replace(FORBIDDEN, '-')
    .replace(/-+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .toLowerCase()
    .slice(0, 64)
    .replace(/[-.]+$/, '');
  return nick === '' ? 'jamf-compliance-users' : nick;
}
