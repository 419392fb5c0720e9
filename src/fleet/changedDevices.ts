import { deviceNameKey } from '../compliance/deviceNameKey';
import { deviceOwnerKeys } from '../compliance/ownerKeys';
import type { EntraDevice } from '../compliance/types';

/** What a device change can do to the join of Macs with one name. */
export interface NameTouch {
  /** Some version of a changed device has no known owners: the name pass may give it to any Mac of that name. */
  ownerless: boolean;
  /** Owner keys of the changed devices' versions: only a Mac whose user has one of them can gain or lose them. */
  ownerKeys: Set<string>;
  /** Entra `deviceId`s of devices new in this sync (a new registration changes that Mac's Jamf compliance info). */
  newDeviceIds: Set<string>;
}

/**
 * Entra devices an incremental sync added, removed, renamed or re-owned, in both versions:
 * which Macs' joins they can change (those sharing a name with either version whose user owns
 * it, or any of that name when it has no owners), rather than every Mac with a generic name.
 */
export class ChangedDevices {
  private readonly byName = new Map<string, NameTouch>();
  private readonly ids = new Set<string>();

  /** A device's change: `before` as stored (undefined when new), `after` as now (undefined when removed). */
  note(before: EntraDevice | undefined, after: EntraDevice | undefined): void {
    for (const d of [before, after]) {
      if (d === undefined) continue;
      this.ids.add(d.id);
      const name = deviceNameKey(d.displayName);
      if (name === '') continue;
      let touch = this.byName.get(name);
      if (!touch)
        this.byName.set(name, (touch = { ownerless: false, ownerKeys: new Set(), newDeviceIds: new Set() }));
      const keys = deviceOwnerKeys(d);
      if (keys.length === 0) touch.ownerless = true;
      for (const k of keys) touch.ownerKeys.add(k);
      if (before === undefined && d === after && d.deviceId) touch.newDeviceIds.add(d.deviceId.toLowerCase());
    }
  }

  /** Devices noted. */
  get size(): number {
    return this.ids.size;
  }

  /** The name keys (`deviceNameKey`) some change touches. */
  names(): IterableIterator<string> {
    return this.byName.keys();
  }

  /** The changes touching Macs named `nameKey` (a `deviceNameKey`). */
  touching(nameKey: string): NameTouch | undefined {
    return this.byName.get(nameKey);
  }
}
