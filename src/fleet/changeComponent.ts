import { deviceNameKey } from '../compliance/deviceNameKey';
import type { FleetSourceChange, FleetSourceSet } from './fleetSourceSet';

const lower = (s: string | null | undefined): string => (s ?? '').trim().toLowerCase();

/** Where a batch of changes can reach: Macs to re-join and the devices they could compete for. */
export interface ChangeComponent {
  /** Jamf ids, including Macs removed by the changes (no source any more). */
  macs: Set<string>;
  /** Device object ids. */
  devices: Set<string>;
}

/**
 * The Macs and devices whose join a batch of changes can alter, closed under what couples Macs
 * in `joinFleet`: a name key (a Mac named N competes for every device named N, and for the
 * only-unjoined-Mac-with-that-name rule with every Mac named N) and an Entra device id (every
 * Mac whose compliance info names it, every device carrying it). Seeds come from both the
 * published and the current bodies, so a Mac renamed away from N still re-joins N's devices.
 * `reachedMacs`: Macs whose user or connector membership changed (their owner keys and record).
 */
export function changeComponent(
  sources: FleetSourceSet,
  pending: readonly FleetSourceChange[],
  reachedMacs: Iterable<string>,
): ChangeComponent {
  const index = sources.index();
  const macs = new Set<string>();
  const devices = new Set<string>();
  const names = new Set<string>();
  const deviceIds = new Set<string>();
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
        addMac(change.id);
        for (const c of [change.before, change.after]) if (c) addName(deviceNameKey(c.name));
        break;
      case 'device':
        for (const d of [change.before, change.after])
          if (d) {
            addName(deviceNameKey(d.displayName));
            addDeviceId(d.deviceId);
          }
        if (change.after) addDevice(change.id);
        break;
      case 'compliance':
        addMac(change.id);
        for (const info of [change.before, change.after])
          for (const deviceId of info?.entraDeviceIds ?? []) addDeviceId(deviceId);
        break;
      case 'user':
        for (const u of [change.before, change.after])
          for (const key of [lower(u?.userPrincipalName), lower(u?.mail)])
            for (const id of index.computersByUserKey.get(key)) addMac(id);
        break;
      case 'membership':
        break; // through `reachedMacs`: only a change of the walked member set reaches a Mac
    }
  }
  for (const id of reachedMacs) addMac(id);
  for (let step = work.pop(); step !== undefined; step = work.pop()) step();
  return { macs, devices };
}
