import { DEMO_PEOPLE, type DemoPerson } from './demoIdentities';
import type { GraphFleetMutations, JamfFleetMutations } from './fleetMutations';
import type { DemoFleet, JamfInventoryRecord } from './fleetTypes';

/** Timers the story runs on: `setTimeout`'s, or a test's. */
export interface StoryTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface PlaygroundStoryOptions {
  fleet: DemoFleet;
  /** Plain writes, for the starting state (before the bot runs: nobody to tell). */
  jamf: JamfFleetMutations;
  /** Writes that raise Jamf Pro's webhooks, for the fix (demo/webhookingJamf.ts). */
  jamfWithWebhooks: JamfFleetMutations;
  graph: GraphFleetMutations;
  /** Whose Mac it is: the Playground's current user by default. */
  person?: DemoPerson;
  /** After `start`, how long until the Mac is fixed. Default 60 s. */
  fixAfterMs?: number;
  /** After the fix, how long until Entra ID agrees (Jamf → Intune → Entra lags). Default 30 s. */
  entraLagMs?: number;
  now?: () => number;
  timers?: StoryTimers;
  /** Told as the story moves on (the demo logs it). */
  onStep?: (step: 'fixed' | 'entra-compliant', facts: { macName: string; jamfId: string }) => void;
}

/**
 * The demo's "watch your Mac become compliant" story for the Playground's user: `prepare` makes
 * their first Mac not compliant but fixable by them (FileVault on the boot partition only: not in
 * Jamf's Compliance group, Entra ID not compliant), `start` schedules the fix — FileVault on for
 * all disks and an inventory report, raising Jamf's webhooks, so the bot refreshes the Mac and
 * starts its thank-you watch — and, a little later, Entra ID agreeing (the device's `isCompliant`),
 * which the watch's re-check confirms: the thank-you card arrives in the person's 1:1 chat.
 */
export class PlaygroundStory {
  readonly person: DemoPerson;
  private readonly now: () => number;
  private readonly timers: StoryTimers;
  private readonly handles = new Set<unknown>();

  constructor(private readonly opts: PlaygroundStoryOptions) {
    this.person = opts.person ?? (DEMO_PEOPLE[0] as DemoPerson);
    this.now = opts.now ?? Date.now;
    this.timers = opts.timers ?? {
      setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
      clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
    };
  }

  /** The person's first Mac in the Jamf simulator. */
  get mac(): JamfInventoryRecord {
    const serial = this.person.macs[0]?.serial;
    const mac = this.opts.fleet.jamf.computers.find((c) => c.hardware.serialNumber === serial);
    if (!mac) throw new Error(`demo story: no Mac with serial ${serial ?? '(none)'} in the demo fleet`);
    return mac;
  }

  /** Not compliant, fixable: FileVault on the boot partition only; Jamf and Entra say not compliant. */
  prepare(): void {
    const mac = this.mac;
    this.opts.jamf.putComputer({
      ...mac,
      operatingSystem: { ...mac.operatingSystem, fileVault2Status: 'BOOT_ENCRYPTED' },
    });
    this.setCompliance(mac.id, false);
  }

  /** Schedules the fix and Entra catching up. */
  start(): void {
    this.later(this.opts.fixAfterMs ?? 60_000, () => {
      this.fix();
      this.later(this.opts.entraLagMs ?? 30_000, () => this.entraAgrees());
    });
  }

  stop(): void {
    for (const h of this.handles) this.timers.clearTimeout(h);
    this.handles.clear();
  }

  /** The person turned FileVault on and Jamf Pro received the inventory: it raises its webhooks. */
  fix(): void {
    const mac = this.mac;
    const at = new Date(Math.floor(this.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    this.opts.jamfWithWebhooks.putComputer({
      ...mac,
      general: { ...mac.general, reportDate: at, lastContact: at, lastCheckIn: at },
      operatingSystem: { ...mac.operatingSystem, fileVault2Status: 'ALL_ENCRYPTED' },
      diskEncryption: {
        ...mac.diskEncryption,
        fileVault2Enabled: true,
        bootPartitionEncryptionDetails: {
          ...mac.diskEncryption?.bootPartitionEncryptionDetails,
          partitionFileVault2State: 'ENCRYPTED',
          partitionFileVault2Percent: 100,
        },
      },
    });
    this.opts.onStep?.('fixed', { macName: mac.general.name, jamfId: mac.id });
  }

  /** Intune passed Jamf's report on: Entra ID marks the device compliant. */
  entraAgrees(): void {
    const mac = this.mac;
    this.setCompliance(mac.id, true);
    this.opts.onStep?.('entra-compliant', { macName: mac.general.name, jamfId: mac.id });
  }

  /** Jamf's compliance record and the Entra device it names. */
  private setCompliance(jamfId: string, compliant: boolean): void {
    const record = this.opts.fleet.jamf.compliance[jamfId]?.[0];
    if (!record) return;
    this.opts.jamf.putComplianceRecord(jamfId, {
      ...record,
      complianceState: compliant ? 'COMPLIANT' : 'NON_COMPLIANT',
    });
    const deviceId = record.complianceVendorDeviceInformation.deviceIds[0];
    const device = this.opts.fleet.graph.devices.find((d) => d.deviceId === deviceId);
    if (device) this.opts.graph.putDevice({ ...device, isCompliant: compliant });
  }

  private later(ms: number, fn: () => void): void {
    const h = this.timers.setTimeout(() => {
      this.handles.delete(h);
      fn();
    }, ms);
    this.handles.add(h);
  }
}
