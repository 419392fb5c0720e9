import { deviceNameKey } from '../compliance/deviceNameKey';
import type { FleetSourceChange, FleetSourceSet } from './fleetSourceSet';
import { joinInputs } from './joinInputs';
import { parseJoin } from './joinSnapshot';

const lower = (s: string | null | undefined): string => (s ?? '').trim().toLowerCase();

/** Where a batch of changes can reach: Macs to re-join and the devices they could compete for. */
export interface ChangeComponent {
  /** Jamf ids to re-join, including Macs removed by the changes (no source any more). */
  macs: Set<string>;
  /** Device object ids they could compete for. */
  devices: Set<string>;
  /** Jamf ids (outside `macs`) whose record changed but whose join cannot have: they keep it. */
  recordOnly: Set<string>;
}

/** The published joins: who claimed which device (see `PublishedRows`). */
export interface KnownJoins {
  joins: ReadonlyMap<string, string>;
  claims: ReadonlyMap<string, string>;
}

/**
 * The Macs and devices whose join a batch of changes can alter, closed under what couples Macs
 * in `joinFleet`: a name key (a Mac named N competes for every device named N, and for the
 * only-unjoined-Mac-with-that-name rule with every Mac named N) and an Entra device id (every
 * Mac whose compliance info names it, every device carrying it). Seeds come from both the
 * published and the current bodies, so a Mac renamed away from N still re-joins N's devices.
 * A change that keeps the item's join inputs (`joinInputs`) reaches only the record of the Mac
 * it belongs to (a device: the Mac that claimed it, per `known`), which keeps its join.
 * `recordOnlyMacs`: Macs whose connector membership flipped.
 */
export function changeComponent(
  sources: FleetSourceSet,
  pending: readonly FleetSourceChange[],
  known: KnownJoins,
  recordOnlyMacs: Iterable<string> = [],
): ChangeComponent {
  const index = sources.index();
  const macs = new Set<string>();
  const devices = new Set<string>();
  const names = new Set<string>();
  const deviceIds = new Set<string>();
  const recordOnly = new Set<string>(recordOnlyMacs);
  const work: (() => void)[] = [];

  const addName = (name: string): void => {
    if (name === '' || names.has(name)) return;
    names.add(name);
    work.push(() => {
      for (const id of index.computersByName.get(name)) addMac(id);
      for (const id of index.devicesByName.get(name)) addDevice(id);
    });
  };
  const addDeviceId = (raw: string): void => {
    const deviceId = lower(raw);
    if (deviceId === '' || deviceIds.has(deviceId)) return;
    deviceIds.add(deviceId);
    work.push(() => {
      for (const id of index.devicesByDeviceId.get(deviceId)) addDevice(id);
      for (const id of index.complianceByDeviceId.get(deviceId)) addMac(id);
    });
  };
  const addMac = (id: string): void => {
    if (macs.has(id)) return;
    macs.add(id);
    const c = sources.get('computer', id);
    if (c) addName(deviceNameKey(c.name));
    for (const deviceId of sources.get('compliance', id)?.entraDeviceIds ?? []) addDeviceId(deviceId);
  };
  const addDevice = (id: string): void => {
    if (devices.has(id)) return;
    devices.add(id);
    const d = sources.get('device', id);
    if (!d) return;
    addName(deviceNameKey(d.displayName));
    addDeviceId(d.deviceId);
  };

  for (const change of pending) {
    switch (change.kind) {
      case 'computer':
        if (
          change.before &&
          change.after &&
          joinInputs.computer(change.before) === joinInputs.computer(change.after)
        ) {
          recordOnly.add(change.id);
          break;
        }
        addMac(change.id);
        for (const c of [change.before, change.after]) if (c) addName(deviceNameKey(c.name));
        break;
      case 'device':
        if (
          change.before &&
          change.after &&
          joinInputs.device(change.before) === joinInputs.device(change.after)
        ) {
          const claimant = known.claims.get(change.id);
          if (claimant !== undefined) recordOnly.add(claimant);
          break;
        }
        for (const d of [change.before, change.after])
          if (d) {
            addName(deviceNameKey(d.displayName));
            addDeviceId(d.deviceId);
          }
        if (change.after) addDevice(change.id);
        break;
      case 'compliance':
        if (joinInputs.compliance(change.before) === joinInputs.compliance(change.after)) {
          recordOnly.add(change.id);
          break;
        }
        addMac(change.id);
        for (const info of [change.before, change.after])
          for (const deviceId of info?.entraDeviceIds ?? []) addDeviceId(deviceId);
        break;
      case 'user': {
        // Same UPN and mail: the same Macs find the user, with the same owner keys.
        const same =
          change.before !== undefined &&
          change.after !== undefined &&
          joinInputs.user(change.before) === joinInputs.user(change.after);
        for (const u of [change.before, change.after])
          for (const key of [lower(u?.userPrincipalName), lower(u?.mail)])
            for (const id of index.computersByUserKey.get(key)) {
              if (same) recordOnly.add(id);
              else addMac(id);
            }
        break;
      }
      case 'membership':
        break; // through `recordOnlyMacs`: only a change of the walked member set reaches a Mac
    }
  }
  // A kept join needs its device: one gone (it could not be, unchanged) is re-joined instead.
  for (const id of recordOnly) {
    const join = known.joins.get(id);
    if (join !== undefined && !sources.get('device', parseJoin(join).deviceObjectId)) addMac(id);
  }
  for (let step = work.pop(); step !== undefined; step = work.pop()) step();
  for (const id of macs) recordOnly.delete(id);
  return { macs, devices, recordOnly };
}
