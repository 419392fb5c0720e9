import type {
  GraphDeviceRecord,
  GraphUserRecord,
  JamfComplianceRecord,
  JamfInventoryRecord,
} from './fleetTypes';

/**
 * How the demo tenant's churn (and tests) change the fleet while the simulators serve it: every
 * change goes through the simulator that owns the data, so its indexes, smart groups and delta
 * journal stay right. `JamfSimulator` and `GraphSimulator` implement these.
 */
export interface JamfFleetMutations {
  /** Adds or replaces a computer (an inventory report: set `general.reportDate`); smart groups are re-evaluated for it. */
  putComputer(record: JamfInventoryRecord): void;
  deleteComputer(id: string): void;
  computer(id: string): JamfInventoryRecord | undefined;
  computerIds(): string[];
  /** Jamf's compliance information for a computer (a registration), or null to clear it. */
  putComplianceRecord(computerId: string, record: JamfComplianceRecord | null): void;
}

export interface GraphFleetMutations {
  /** Adds or replaces a device (a registration, a compliance change); recorded for `devices/delta`. */
  putDevice(record: GraphDeviceRecord): void;
  deleteDevice(id: string): void;
  device(id: string): GraphDeviceRecord | undefined;
  putUser(record: GraphUserRecord): void;
  deleteUser(id: string): void;
  addGroupMember(groupId: string, memberId: string): void;
  removeGroupMember(groupId: string, memberId: string): void;
  /** Refuses every delta token issued so far, as Graph does for an expired one. */
  expireDeltaTokens(): void;
}
