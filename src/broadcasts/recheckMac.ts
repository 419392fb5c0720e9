import type { MacRecord } from '../compliance/types';
import { lookupMacs, type LookupDeps } from '../lookup/lookupMacs';

/**
 * Re-reads one Mac live from Jamf and Entra ID (the `check device` look-up by Jamf id), for the
 * thank-you's re-check: null when Jamf no longer has it. A service that does not answer throws,
 * so the caller tries again later instead of deciding on half the facts.
 */
export function recheckMac(deps: LookupDeps): (jamfId: string) => Promise<MacRecord | null> {
  return async (jamfId) => {
    const lookup = await lookupMacs({ kind: 'jamf-id', value: jamfId }, deps);
    const failure = lookup.failures[0];
    if (failure) throw failure.error;
    return lookup.records.find((r) => r.jamf.id === jamfId) ?? null;
  };
}
