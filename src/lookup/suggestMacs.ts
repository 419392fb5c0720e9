import type { JamfComputer } from '../compliance/types';
import type { JamfClient } from '../upstream/jamf/jamfClient';
import { rsqlEquals, rsqlOr } from '../upstream/jamf/rsql';

/**
 * Up to `limit` Macs whose name or serial contains the text, for "did you mean" when a search
 * found nothing. One Jamf request: Jamf's RSQL reads `*` as a wildcard inside a quoted value.
 */
export async function suggestMacs(
  jamf: Pick<JamfClient, 'searchComputers'>,
  text: string,
  limit = 5,
): Promise<JamfComputer[]> {
  const t = text.trim();
  if (t.length < 3) return [];
  const like = `*${t}*`;
  const { computers } = await jamf.searchComputers({
    filter: rsqlOr(rsqlEquals('general.name', like), rsqlEquals('hardware.serialNumber', like)),
    limit,
  });
  return computers;
}
