import type { FileVaultStatus, JamfComputer } from '../../compliance/types';
import type { ComputerWire } from './jamfWire';

const FILEVAULT = new Set<string>([
  'NOT_APPLICABLE',
  'NOT_ENCRYPTED',
  'BOOT_ENCRYPTED',
  'SOME_ENCRYPTED',
  'ALL_ENCRYPTED',
]);

/** Jamf sends "" or null for "no value" (e.g. a Mac without a user); the domain only knows null. */
const orNull = (v: string | null | undefined): string | null =>
  v === undefined || v === null || v === '' ? null : v;

/** A v4 inventory record → the domain's flattened `JamfComputer`. Sections not requested map to null / []. */
export function mapJamfComputer(w: ComputerWire): JamfComputer {
  const fv = w.operatingSystem?.fileVault2Status;
  return {
    id: w.id,
    udid: orNull(w.udid),
    name: w.general?.name ?? '',
    serialNumber: orNull(w.hardware?.serialNumber),
    model: orNull(w.hardware?.model),
    osVersion: orNull(w.operatingSystem?.version),
    reportDate: orNull(w.general?.reportDate),
    lastContact: orNull(w.general?.lastContact),
    fileVault2Status: fv && FILEVAULT.has(fv) ? (fv as FileVaultStatus) : null,
    applications: (w.applications ?? []).map((a) => a.name ?? '').filter((n) => n !== ''),
    username: orNull(w.userAndLocation?.username),
    email: orNull(w.userAndLocation?.email),
    realName: orNull(w.userAndLocation?.realname),
    groups: (w.groupMemberships ?? []).flatMap((g) =>
      g.groupId
        ? [{ groupId: g.groupId, groupName: g.groupName ?? '', smartGroup: g.smartGroup ?? false }]
        : [],
    ),
  };
}
