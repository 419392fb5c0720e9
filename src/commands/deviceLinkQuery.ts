import type { LookupQuery } from '../lookup/lookupMacs';

/** The Entra admin center, whose device pages unfurl into the device card. */
export const ENTRA_PORTAL_HOST = 'entra.microsoft.com';

const GUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const ENTRA_DEVICE = new RegExp(`/Microsoft_AAD_Devices/DeviceDetailsMenuBlade/.*/deviceId/(${GUID})`, 'i');

/**
 * The Mac a pasted link names, or null for any other link: a Jamf Pro computer page
 * (`<JAMF_URL>/computers.html?id=123…`, on JAMF_URL's own host and path) or an Entra admin
 * center device page (`https://entra.microsoft.com/#view/Microsoft_AAD_Devices/
 * DeviceDetailsMenuBlade/~/Properties/objectId/<guid>/deviceId/<guid>`), as the device card
 * itself links to them.
 */
export function deviceLinkQuery(link: string, jamfUrl: string): LookupQuery | null {
  let url: URL;
  try {
    url = new URL(link.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const jamf = jamfBase(jamfUrl);
  if (
    jamf &&
    url.host.toLowerCase() === jamf.host &&
    url.pathname.toLowerCase() === `${jamf.path}/computers.html`
  ) {
    const id = url.searchParams.get('id') ?? '';
    return /^\d{1,12}$/.test(id) ? { kind: 'jamf-id', value: id } : null;
  }
  if (url.host.toLowerCase() === ENTRA_PORTAL_HOST) {
    const deviceId = decodeURIComponent(url.hash).match(ENTRA_DEVICE)?.[1];
    return deviceId ? { kind: 'device-id', value: deviceId.toLowerCase() } : null;
  }
  return null;
}

/** JAMF_URL's host and path (no trailing slash), or null when it is not a URL. */
function jamfBase(jamfUrl: string): { host: string; path: string } | null {
  try {
    const u = new URL(jamfUrl);
    return { host: u.host.toLowerCase(), path: u.pathname.replace(/\/+$/, '').toLowerCase() };
  } catch {
    return null;
  }
}
