import type { JamfFleetMutations } from './fleetMutations';
import type { JamfWebhookSender } from './jamfWebhookSender';

/** `JamfFleetMutations` that also raise Jamf Pro's webhooks, and a way to wait for their deliveries. */
export interface WebhookingJamf extends JamfFleetMutations {
  /** Resolves once every delivery raised so far was answered (or failed). */
  settled(): Promise<void>;
}

/**
 * Wraps the Jamf simulator's mutations so each inventory change raises the events Jamf Pro would
 * (`computerChanged`: ComputerAdded, ComputerInventoryCompleted, a membership change per smart
 * group entered or left), posted in the background to the webhooks stored in the simulator. A
 * deleted Mac raises none: Jamf Pro has no computer-deleted event (the sync's id listing finds it).
 */
export function webhookingJamf(
  jamf: JamfFleetMutations & { webhooks: Pick<JamfWebhookSender, 'computerChanged'> },
  onError: (err: unknown) => void,
): WebhookingJamf {
  const inFlight = new Set<Promise<unknown>>();
  return {
    putComputer(record) {
      // The stored record is replaced, not edited: `before` stays as it was.
      const before = jamf.computer(record.id);
      jamf.putComputer(record);
      const after = jamf.computer(record.id);
      if (!after) return;
      const sending = jamf.webhooks.computerChanged(before, after).catch(onError);
      inFlight.add(sending);
      void sending.finally(() => inFlight.delete(sending));
    },
    deleteComputer: (id) => jamf.deleteComputer(id),
    computer: (id) => jamf.computer(id),
    computerIds: () => jamf.computerIds(),
    putComplianceRecord: (id, record) => jamf.putComplianceRecord(id, record),
    async settled() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}
