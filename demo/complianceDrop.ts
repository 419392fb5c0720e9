import { DEMO_FLEET_IDS } from './demoFleetIds';
import { DEMO_PEOPLE } from './demoIdentities';
import type { JamfFleetMutations } from './fleetMutations';
import type { DemoFleet } from './fleetTypes';
import type { JamfWebhookSender, WebhookDelivery } from './jamfWebhookSender';

/** Ids per membership delivery, as Jamf Pro splits a large recalculation. */
const PER_DELIVERY = 100;

/**
 * A sudden drop (`DEMO_SCENARIO=compliance-drop`): `count` Macs of Jamf's Compliance group lose
 * FileVault on their data disks at once (say a configuration profile was removed), and the smart
 * group's recalculation posts its membership change as one burst of deliveries — the bot's drop
 * alert posts one card to the admin channel. The Playground's people's Macs are left alone.
 * Resolves with the Jamf ids that left and the deliveries.
 */
export async function dropCompliance(deps: {
  fleet: DemoFleet;
  /** Plain writes: the burst below is the only event, as from one recalculation. */
  jamf: JamfFleetMutations;
  webhooks: Pick<JamfWebhookSender, 'membershipBurst'>;
  count: number;
}): Promise<{ removed: string[]; deliveries: WebhookDelivery[] }> {
  const groupId = DEMO_FLEET_IDS.jamfGroups.compliance;
  const people = new Set(DEMO_PEOPLE.flatMap((p) => p.macs.map((m) => m.serial)));
  const group = deps.fleet.jamf.smartGroups.find((g) => g.id === groupId);
  if (!group) return { removed: [], deliveries: [] };
  const picked = [...group.members]
    .map((id) => deps.jamf.computer(id))
    .filter((c) => c !== undefined && !people.has(c.hardware.serialNumber))
    .slice(0, Math.max(0, deps.count));
  const removed: string[] = [];
  for (const c of picked) {
    if (!c) continue;
    deps.jamf.putComputer({
      ...c,
      operatingSystem: { ...c.operatingSystem, fileVault2Status: 'BOOT_ENCRYPTED' },
    });
    if (!deps.fleet.jamf.smartGroups.find((g) => g.id === groupId)?.members.includes(c.id))
      removed.push(c.id);
  }
  const deliveries = await deps.webhooks.membershipBurst(
    Number(groupId),
    [],
    removed.map(Number),
    PER_DELIVERY,
  );
  return { removed, deliveries };
}
