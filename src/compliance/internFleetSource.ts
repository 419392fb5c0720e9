import type { FleetMembership, FleetSourceKind } from './fleetSnapshotTypes';
import type { EntraDevice, JamfComputer, JamfGroupMembership, MacRecord } from './types';

/** Distinct values held at most; past it the table starts again (sharing resumes as values recur). */
const MAX_VALUES = 20_000;

/**
 * One copy of the values tens of thousands of source bodies repeat — a Mac's model, OS version
 * and FileVault status, its two group memberships and its required-app list; a device's OS and
 * trust type; a membership's group id — instead of one string (or object) per body as JSON
 * parsing makes them. At 50,000 Macs the fleet snapshot is the bot's memory, and these are a
 * fifth of it. Shared group objects and lists are frozen: nobody may change one Mac's through
 * another's.
 */
class FleetInterner {
  private strings = new Map<string, string>();
  private groups = new Map<string, JamfGroupMembership>();
  private lists = new Map<string, readonly string[]>();

  string<T extends string | null>(value: T): T {
    if (value === null) return value;
    const held = this.strings.get(value);
    if (held !== undefined) return held as T;
    if (this.strings.size >= MAX_VALUES) this.strings = new Map();
    this.strings.set(value, value);
    return value;
  }

  group(g: JamfGroupMembership): JamfGroupMembership {
    const key = `${g.groupId}\u0000${g.groupName}\u0000${g.smartGroup}`;
    const held = this.groups.get(key);
    if (held) return held;
    if (this.groups.size >= MAX_VALUES) this.groups = new Map();
    const shared = Object.freeze({
      groupId: this.string(g.groupId),
      groupName: this.string(g.groupName),
      smartGroup: g.smartGroup,
    });
    this.groups.set(key, shared);
    return shared;
  }

  list(values: readonly string[]): string[] {
    const key = values.join('\u0000');
    const held = this.lists.get(key);
    if (held) return held as string[];
    if (this.lists.size >= MAX_VALUES) this.lists = new Map();
    const shared = Object.freeze(values.map((v) => this.string(v)));
    this.lists.set(key, shared);
    return shared as string[];
  }
}

const interner = new FleetInterner();

/** A Jamf computer body with its repeated values shared (changed in place, and returned). */
export function internComputer(c: JamfComputer): JamfComputer {
  c.model = interner.string(c.model);
  c.osVersion = interner.string(c.osVersion);
  c.fileVault2Status = interner.string(c.fileVault2Status);
  c.applications = interner.list(c.applications ?? []);
  c.groups = (c.groups ?? []).map((g) => interner.group(g));
  return c;
}

/** An Entra device body with its repeated values shared (changed in place, and returned). */
export function internDevice(d: EntraDevice): EntraDevice {
  d.trustType = interner.string(d.trustType);
  d.operatingSystem = interner.string(d.operatingSystem);
  d.operatingSystemVersion = interner.string(d.operatingSystemVersion);
  return d;
}

/** A membership with its group id and member type shared (changed in place, and returned). */
export function internMembership(m: FleetMembership): FleetMembership {
  m.groupId = interner.string(m.groupId);
  m.memberType = interner.string(m.memberType);
  return m;
}

/** A source body of any kind, as read back from the store. */
export function internSourceBody(kind: FleetSourceKind, body: unknown): unknown {
  if (kind === 'computer') return internComputer(body as JamfComputer);
  if (kind === 'device') return internDevice(body as EntraDevice);
  if (kind === 'membership') return internMembership(body as FleetMembership);
  return body;
}

/** A published record, as read back from the store: its computer and device shared as above. */
export function internRecord(r: MacRecord): MacRecord {
  internComputer(r.jamf);
  if (r.entra) internDevice(r.entra);
  return r;
}
