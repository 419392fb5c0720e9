import type { JamfFleetMutations } from './fleetMutations';
import type { DemoFleet, JamfComplianceRecord, JamfInventoryRecord } from './fleetTypes';
import type { JamfInventoryIndex } from './jamfInventoryIndex';
import type { JamfSmartGroupStore } from './jamfSmartGroupStore';

/**
 * Changes the Jamf side of the demo fleet the way Jamf Pro itself would see it change (an
 * inventory report, a new or deleted Mac, a registration), keeping the simulator's inventory
 * index and smart group memberships right, so every route sees the change at once.
 */
export class JamfFleetMutator implements JamfFleetMutations {
  /** Computer id → position in `fleet.jamf.computers`; rebuilt when the list was changed from outside. */
  private positions: Map<string, number> | null = null;
  private indexed: JamfInventoryRecord[] | null = null;

  constructor(
    private readonly fleet: DemoFleet,
    private readonly inventory: JamfInventoryIndex,
    private readonly groups: JamfSmartGroupStore,
  ) {}

  putComputer(record: JamfInventoryRecord): void {
    const computers = this.fleet.jamf.computers;
    const positions = this.positionsOf();
    const at = positions.get(record.id);
    // A copy: the caller's object stays theirs; membership is Jamf Pro's to compute.
    const stored: JamfInventoryRecord = { ...record, groupMemberships: [...record.groupMemberships] };
    const previous = at === undefined ? undefined : computers[at];
    if (at === undefined) {
      computers.push(stored);
      positions.set(record.id, computers.length - 1);
    } else computers[at] = stored;
    this.groups.recomputeComputer(stored, previous);
    this.inventory.invalidate();
  }

  deleteComputer(id: string): void {
    const positions = this.positionsOf();
    const at = positions.get(id);
    if (at === undefined) return;
    const computers = this.fleet.jamf.computers;
    computers.splice(at, 1);
    positions.delete(id);
    for (let i = at; i < computers.length; i++) positions.set((computers[i] as JamfInventoryRecord).id, i);
    delete this.fleet.jamf.compliance[id];
    this.groups.forgetComputer(id);
    this.inventory.invalidate();
  }

  computer(id: string): JamfInventoryRecord | undefined {
    const at = this.positionsOf().get(id);
    return at === undefined ? undefined : this.fleet.jamf.computers[at];
  }

  computerIds(): string[] {
    return this.fleet.jamf.computers.map((c) => c.id);
  }

  putComplianceRecord(computerId: string, record: JamfComplianceRecord | null): void {
    if (record === null) delete this.fleet.jamf.compliance[computerId];
    else this.fleet.jamf.compliance[computerId] = [{ ...record, deviceId: computerId }];
  }

  /** Forget positions after the fleet was changed from outside. */
  reset(): void {
    this.positions = null;
  }

  private positionsOf(): Map<string, number> {
    const computers = this.fleet.jamf.computers;
    if (!this.positions || this.indexed !== computers || this.positions.size !== computers.length) {
      this.positions = new Map(computers.map((c, i) => [c.id, i]));
      this.indexed = computers;
    }
    return this.positions;
  }
}
