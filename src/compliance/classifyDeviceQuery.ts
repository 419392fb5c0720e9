/** What `check device <query>` was given, decided from its shape alone. */
export type DeviceQuery =
  | { kind: 'device-id'; value: string }
  | { kind: 'user'; value: string }
  | { kind: 'serial-or-name'; value: string };

const GUID = /^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Longest query the bot searches for; Jamf and Graph limit filter length. */
export const MAX_DEVICE_QUERY = 256;

/**
 * A GUID is an Entra device id, something with an @ is a user's UPN or e-mail, anything else
 * is a serial number or a computer name (Jamf is asked for both at once). Quotes around the
 * query are dropped: people paste `"Alex's MacBook"`.
 */
export function classifyDeviceQuery(raw: string): DeviceQuery | null {
  let value = raw.trim();
  if (/^(["'`]).*\1$/s.test(value) && value.length >= 2) value = value.slice(1, -1).trim();
  if (value === '') return null;
  if (GUID.test(value)) return { kind: 'device-id', value: value.replace(/[{}]/g, '').toLowerCase() };
  if (EMAIL.test(value)) return { kind: 'user', value };
  return { kind: 'serial-or-name', value };
}
