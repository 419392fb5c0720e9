import { deviceNameKey } from './deviceNameKey';
import { indexEntraDevices, nameOwnerKey } from './indexEntraDevices';
import { macOwnerKeys } from './ownerKeys';
import type { EntraDevice, JamfComputer } from './types';

/**
 * The ids of computers whose Entra device cannot be told for certain without Jamf's compliance
 * info (one Jamf API call per computer), so the loader makes only those calls. A computer needs
 * it when some Entra device has its name but its user, as Jamf records it, does not single out
 * exactly one of them — none, several, or one that another Mac's user also owns.
 *
 * Computers with no same-name device are left out: during a rollout they are mostly simply
 * unregistered, and asking Jamf about each would cost a call per Mac; a Mac renamed after
 * registration is the price (a single `check device` can still fetch its compliance info).
 * Without Entra users at hand this sees only Jamf's email/username, so it may list a few
 * computers that `joinFleet` would confirm through the Entra user's UPN or id — never fewer.
 */
export function needsComplianceLookup(
  computers: readonly JamfComputer[],
  devices: readonly EntraDevice[],
): string[] {
  const index = indexEntraDevices(devices);
  const confirmedBy = new Map<EntraDevice, number>();
  const single: (EntraDevice | null)[] = [];
  const ambiguous = new Set<number>();

  computers.forEach((c, i) => {
    single.push(null);
    const name = deviceNameKey(c.name);
    if (name === '' || !index.byName.has(name)) return;
    const owned = new Set<EntraDevice>();
    for (const k of macOwnerKeys(c, null))
      for (const d of index.byNameAndOwner.get(nameOwnerKey(name, k)) ?? []) owned.add(d);
    const [only, ...more] = owned;
    if (only === undefined || more.length > 0) {
      ambiguous.add(i);
      return;
    }
    single[i] = only;
    confirmedBy.set(only, (confirmedBy.get(only) ?? 0) + 1);
  });

  return computers
    .filter((_, i) => {
      const d = single[i];
      return ambiguous.has(i) || (d !== null && d !== undefined && (confirmedBy.get(d) ?? 0) > 1);
    })
    .map((c) => c.id);
}
