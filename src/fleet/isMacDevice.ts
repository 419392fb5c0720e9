import type { EntraDevice } from '../compliance/types';

/** Whether an Entra device is a Mac (device delta returns every platform; the snapshot keeps Macs). */
export function isMacDevice(device: EntraDevice, macOperatingSystems: readonly string[]): boolean {
  const os = (device.operatingSystem ?? '').trim().toLowerCase();
  return macOperatingSystems.some((m) => m.toLowerCase() === os);
}
