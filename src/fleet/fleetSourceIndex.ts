import { deviceNameKey } from '../compliance/deviceNameKey';
import type { FleetSourceBodies, FleetSourceKind } from '../compliance/fleetSnapshotTypes';
import { IdIndex } from './idIndex';

const lower = (s: string | null | undefined): string => (s ?? '').trim().toLowerCase();

/**
 * The reverse look-ups an incremental re-join needs to find what a change can reach (see
 * `changeComponent`): which Macs and devices share a name key, which devices carry an Entra
 * device id and which Macs' compliance info names it, which Macs a user's UPN or mail can
 * belong to, and which users hold a UPN or mail. Ids only, no copies of bodies.
 */
export class FleetSourceIndex {
  /** Name key → Jamf ids. */
  readonly computersByName = new IdIndex();
  /** Lower-cased Jamf email or username → Jamf ids (who `userFinder` may give a user). */
  readonly computersByUserKey = new IdIndex();
  /** Name key → device object ids. */
  readonly devicesByName = new IdIndex();
  /** Lower-cased `deviceId` → device object ids. */
  readonly devicesByDeviceId = new IdIndex();
  /** Lower-cased Entra device id named in Jamf's compliance info → Jamf ids. */
  readonly complianceByDeviceId = new IdIndex();
  /** Lower-cased UPN or mail → user ids. */
  readonly usersByKey = new IdIndex();

  /** Adds (`add`) or drops an item's entries; a change is a drop of the old body and an add of the new. */
  update<K extends FleetSourceKind>(kind: K, id: string, body: FleetSourceBodies[K], add: boolean): void {
    const put = (index: IdIndex, key: string): void => (add ? index.add(key, id) : index.delete(key, id));
    switch (kind) {
      case 'computer': {
        const c = body as FleetSourceBodies['computer'];
        put(this.computersByName, deviceNameKey(c.name));
        put(this.computersByUserKey, lower(c.email));
        put(this.computersByUserKey, lower(c.username));
        return;
      }
      case 'device': {
        const d = body as FleetSourceBodies['device'];
        put(this.devicesByName, deviceNameKey(d.displayName));
        put(this.devicesByDeviceId, lower(d.deviceId));
        return;
      }
      case 'user': {
        const u = body as FleetSourceBodies['user'];
        put(this.usersByKey, lower(u.userPrincipalName));
        put(this.usersByKey, lower(u.mail));
        return;
      }
      case 'compliance': {
        const info = body as FleetSourceBodies['compliance'];
        for (const deviceId of info.entraDeviceIds) put(this.complianceByDeviceId, lower(deviceId));
        return;
      }
      case 'membership':
        return;
    }
  }
}
