import { FLEET_CATALOG } from './fleetCatalog';
import type { GraphFleetMutations, JamfFleetMutations } from './fleetMutations';
import type { DemoFleet, GraphDeviceRecord, JamfInventoryRecord } from './fleetTypes';
import { seededRandom, type SeededRandom } from './seededRandom';

/** What one change of the demo fleet is. */
export type ChurnKind = 'report' | 'registration' | 'newMac' | 'deletedMac' | 'groupChange';

/**
 * How changes split between kinds (shares, summing to 1): mostly Macs sending inventory, some
 * registrations, a few Macs added and retired, and people joining or leaving the connector group.
 */
export const DEFAULT_CHURN_MIX: Readonly<Record<ChurnKind, number>> = {
  report: 0.7,
  registration: 0.1,
  newMac: 0.06,
  deletedMac: 0.04,
  groupChange: 0.1,
};

/** Of inventory reports: how many install Company Portal (when missing) or change FileVault. */
const INSTALLS_COMPANY_PORTAL = 0.3;
const CHANGES_FILEVAULT = 0.1;
const HOUR_MS = 3_600_000;
const disk = (encrypted: boolean) =>
  Object.freeze({
    fileVault2Enabled: encrypted,
    bootPartitionEncryptionDetails: Object.freeze({
      partitionName: 'Macintosh HD (Boot Partition)',
      partitionFileVault2State: encrypted ? 'ENCRYPTED' : 'UNENCRYPTED',
      partitionFileVault2Percent: encrypted ? 100 : 0,
    }),
  });
const ENCRYPTED = disk(true);
const UNENCRYPTED = disk(false);

/** Timers the churn runs on: `setInterval`'s, or a test's. */
export interface ChurnTimers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface FleetChurnOptions {
  /** Writes go through the simulators (their indexes, smart groups and delta journals stay right). */
  jamf: JamfFleetMutations;
  graph: GraphFleetMutations;
  /** The fleet both simulators serve, read (never written) to pick people and Macs. */
  fleet: DemoFleet;
  /** Share of the fleet that changes per hour (0.01 = 1 %/hour; 0 = none). */
  perHour: number;
  seed: number;
  /** Shares by kind (kinds left out: none). Default `DEFAULT_CHURN_MIX`. */
  mix?: Partial<Record<ChurnKind, number>>;
  /** Clock for the dates changes carry. Default `Date.now`. */
  now?: () => number;
  /** How often changes are applied while running. Default one minute. */
  tickMs?: number;
  timers?: ChurnTimers;
  /** Told after each tick that changed something (e.g. to log it). */
  onChanges?: (summary: ChurnSummary) => void;
}

/** How many changes of each kind were applied. */
export type ChurnSummary = Record<ChurnKind, number>;

/**
 * The demo tenant's churn: a configurable share of the fleet changing per hour, as a real
 * tenant's does — inventory reports (`reportDate` bumped; sometimes Company Portal installed or
 * FileVault changed, so smart groups re-evaluate), registrations (an Entra device with its owner
 * and Jamf's compliance record), new and deleted Macs, and connector-group membership changes.
 * Seeded: the same seed and clock give the same changes. Every write goes through
 * `JamfFleetMutations` / `GraphFleetMutations`. `start` applies changes on a timer (the rate
 * carried over between ticks, so 10 changes an hour happen even with one-minute ticks);
 * `applyChanges(n)` applies n at once (the bench's "1 % churn" is 500 at 50,000 Macs).
 */
export class FleetChurn {
  private readonly rng: SeededRandom;
  private readonly mix: [ChurnKind, number][];
  private readonly now: () => number;
  private handle: unknown = null;
  private stopTimer: () => void = () => undefined;
  /** People by UPN, for registrations: built once per batch. */
  private usersByUpn: Map<string, DemoFleet['graph']['users'][number]> | null = null;
  /** Fractional changes owed from earlier ticks. */
  private owed = 0;
  private nextId: number | null = null;

  constructor(private readonly opts: FleetChurnOptions) {
    if (!(opts.perHour >= 0 && opts.perHour <= 1)) throw new Error('churn perHour must be within 0..1');
    this.rng = seededRandom(opts.seed);
    this.now = opts.now ?? Date.now;
    const none = { report: 0, registration: 0, newMac: 0, deletedMac: 0, groupChange: 0 };
    const mix = opts.mix ? { ...none, ...opts.mix } : DEFAULT_CHURN_MIX;
    const total = Object.values(mix).reduce((a, b) => a + b, 0);
    if (!(total > 0)) throw new Error('churn mix must have a positive share');
    this.mix = (Object.entries(mix) as [ChurnKind, number][]).map(([k, v]) => [k, v / total]);
  }

  /** Applies changes every `tickMs` at `perHour` of the fleet; no-op when `perHour` is 0 or already running. */
  start(): void {
    if (this.handle !== null || this.opts.perHour === 0) return;
    const tickMs = this.opts.tickMs ?? 60_000;
    const timers = this.opts.timers ?? {
      setInterval: (fn: () => void, ms: number) => {
        const t = setInterval(fn, ms);
        t.unref();
        return t;
      },
      clearInterval: (h: unknown) => clearInterval(h as NodeJS.Timeout),
    };
    this.handle = timers.setInterval(() => this.tick(tickMs), tickMs);
    this.stopTimer = () => timers.clearInterval(this.handle);
  }

  stop(): void {
    if (this.handle === null) return;
    this.stopTimer();
    this.handle = null;
  }

  /** One tick's worth of changes: `perHour` × fleet size × the tick's share of an hour, remainders carried. */
  tick(tickMs: number): ChurnSummary {
    this.owed += this.opts.perHour * this.opts.jamf.computerIds().length * (tickMs / HOUR_MS);
    // The epsilon keeps 60 × (10/60) from summing to 9.999… and losing a change to rounding.
    const n = Math.floor(this.owed + 1e-9);
    this.owed = Math.max(0, this.owed - n);
    const summary = this.applyChanges(n);
    if (n > 0) this.opts.onChanges?.(summary);
    return summary;
  }

  /** Applies `count` changes now, kinds drawn by the mix. */
  applyChanges(count: number): ChurnSummary {
    const summary: ChurnSummary = { report: 0, registration: 0, newMac: 0, deletedMac: 0, groupChange: 0 };
    const ids = this.opts.jamf.computerIds();
    this.usersByUpn = null;
    for (let i = 0; i < count; i++) {
      const kind = this.applyOne(this.pickKind(), ids);
      summary[kind]++;
    }
    return summary;
  }

  private pickKind(): ChurnKind {
    let r = this.rng.next();
    for (const [kind, share] of this.mix) {
      if (r < share) return kind;
      r -= share;
    }
    return 'report';
  }

  /**
   * One change; the kind actually applied: with nothing to change for the drawn kind (no
   * unregistered Mac, no connector group, the last Mac) it is an inventory report, and with no
   * Mac at all a new Mac.
   */
  private applyOne(kind: ChurnKind, ids: string[]): ChurnKind {
    if (kind === 'newMac' || ids.length === 0) {
      ids.push(this.newMac(ids));
      return 'newMac';
    }
    if (kind === 'groupChange' && this.groupChange()) return kind;
    if (kind === 'deletedMac' && ids.length > 1) {
      const at = this.rng.int(0, ids.length - 1);
      const id = ids[at] as string;
      ids[at] = ids[ids.length - 1] as string;
      ids.pop();
      this.opts.jamf.deleteComputer(id);
      return kind;
    }
    if (kind === 'registration' && this.registration(ids)) return kind;
    this.report(this.rng.pick(ids));
    return 'report';
  }

  /** An inventory report: dates bumped; sometimes Company Portal installed or FileVault changed. */
  private report(id: string): void {
    const c = this.opts.jamf.computer(id);
    if (!c) return;
    const at = this.jamfDate();
    const next: JamfInventoryRecord = {
      ...c,
      general: { ...c.general, reportDate: at, lastContact: at, lastCheckIn: at },
    };
    const hasPortal = c.applications.some((a) => a.bundleId === FLEET_CATALOG.companyPortal.bundleId);
    if (!hasPortal && this.rng.chance(INSTALLS_COMPANY_PORTAL))
      next.applications = [...c.applications, FLEET_CATALOG.companyPortal];
    if (this.rng.chance(CHANGES_FILEVAULT)) {
      // Short of all partitions → encrypted; encrypted → decrypted or only the boot partition.
      const status =
        c.operatingSystem.fileVault2Status !== 'ALL_ENCRYPTED'
          ? 'ALL_ENCRYPTED'
          : this.rng.pick(['BOOT_ENCRYPTED', 'NOT_ENCRYPTED']);
      next.operatingSystem = { ...c.operatingSystem, fileVault2Status: status };
      next.diskEncryption = status === 'NOT_ENCRYPTED' ? UNENCRYPTED : ENCRYPTED;
    }
    this.opts.jamf.putComputer(next);
  }

  /**
   * A Mac with a user and no Entra registration registers: a new Entra device owned by its user,
   * and Jamf's compliance record naming it (still UNKNOWN until the first report reaches Intune).
   * False when a few draws find no such Mac.
   */
  private registration(ids: string[]): boolean {
    const users = (this.usersByUpn ??= new Map(
      this.opts.fleet.graph.users.map((u) => [u.userPrincipalName.toLowerCase(), u]),
    ));
    for (let tries = 0; tries < 20; tries++) {
      const id = this.rng.pick(ids);
      const c = this.opts.jamf.computer(id);
      const owner = users.get((c?.userAndLocation.email ?? '').toLowerCase());
      const record = this.opts.fleet.jamf.compliance[id]?.[0];
      if (!c || !owner || (record && record.complianceVendorDeviceInformation.deviceIds.length > 0)) continue;
      const at = new Date(this.now()).toISOString();
      const device: GraphDeviceRecord = {
        id: this.rng.uuid(),
        deviceId: this.rng.uuid(),
        displayName: c.general.name,
        accountEnabled: true,
        isCompliant: null,
        isManaged: null,
        trustType: 'Workplace',
        operatingSystem: 'MacOS',
        operatingSystemVersion: c.operatingSystem.version,
        registrationDateTime: at,
        approximateLastSignInDateTime: at,
        manufacturer: 'Apple',
        model: c.hardware.model,
        managementType: null,
        mdmAppId: null,
        registeredOwnerIds: [owner.id],
      };
      this.opts.graph.putDevice(device);
      this.opts.jamf.putComplianceRecord(id, {
        deviceId: id,
        applicable: true,
        complianceState: 'UNKNOWN',
        complianceVendor: 'Intune',
        complianceVendorDeviceInformation: { deviceIds: [device.deviceId] },
      });
      this.report(id);
      return true;
    }
    return false;
  }

  /** A Mac enrolled for a person in the directory, reporting now, not registered yet. */
  private newMac(ids: string[]): string {
    this.nextId ??= ids.reduce((max, id) => Math.max(max, Number(id) || 0), 0) + 1;
    const id = String(this.nextId++);
    const owner = this.opts.fleet.graph.users.length ? this.rng.pick(this.opts.fleet.graph.users) : null;
    const model = this.rng.pick(FLEET_CATALOG.models);
    const os = this.rng.pick(FLEET_CATALOG.osReleases);
    const at = this.jamfDate();
    const serial = `CH${this.rng.chars('ABCDEFGHJKLMNPQRSTUVWXYZ0123456789', 8)}`;
    const encrypted = this.rng.chance(0.8);
    this.opts.jamf.putComputer({
      id,
      udid: this.rng.uuid().toUpperCase(),
      general: {
        name: owner ? `${owner.givenName ?? owner.displayName}’s ${model.kind}` : serial,
        reportDate: at,
        lastContact: at,
        lastCheckIn: at,
        platform: 'Mac',
        managementId: this.rng.uuid(),
      },
      hardware: {
        serialNumber: serial,
        model: model.model,
        modelIdentifier: model.modelIdentifier,
        make: 'Apple',
      },
      operatingSystem: {
        name: 'macOS',
        version: os.version,
        build: os.build,
        fileVault2Status: encrypted ? 'ALL_ENCRYPTED' : 'NOT_ENCRYPTED',
      },
      diskEncryption: encrypted ? ENCRYPTED : UNENCRYPTED,
      applications: [
        ...(this.rng.chance(0.7) ? [FLEET_CATALOG.companyPortal] : []),
        FLEET_CATALOG.selfService,
        ...FLEET_CATALOG.baseApps,
      ],
      userAndLocation: {
        username: owner?.userPrincipalName.split('@')[0] ?? '',
        realname: owner?.displayName ?? '',
        email: owner?.userPrincipalName ?? '',
      },
      groupMemberships: [],
    });
    this.opts.jamf.putComplianceRecord(id, {
      deviceId: id,
      applicable: true,
      complianceState: 'UNKNOWN',
      complianceVendor: 'Intune',
      complianceVendorDeviceInformation: { deviceIds: [] },
    });
    return id;
  }

  /** Someone joins or leaves the connector's group. */
  private groupChange(): boolean {
    const { fleet, graph } = this.opts;
    const group = fleet.graph.groups.find((g) => g.id === fleet.connectorGroupId);
    if (!group || fleet.graph.users.length === 0) return false;
    const user = this.rng.pick(fleet.graph.users);
    if (group.memberIds.includes(user.id)) graph.removeGroupMember(group.id, user.id);
    else graph.addGroupMember(group.id, user.id);
    return true;
  }

  /** Now, as Jamf Pro writes dates: whole seconds, UTC. */
  private jamfDate(): string {
    return new Date(Math.floor(this.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  }
}
