import { rsqlIn, rsqlQuote } from '../upstream/jamf/rsql';

/**
 * RSQL for the sync's Jamf reads. The Jamf helper of issue 17 adds `reportedSince` and
 * `computerIdIn` to src/upstream/jamf/rsql.ts; these are the sync's own until then.
 */
export const jamfFilters = {
  /** Macs whose inventory was reported at or after `iso` (`general.reportDate`). */
  reportedSince: (iso: string): string => `general.reportDate>=${rsqlQuote(iso)}`,
  /** Macs with these Jamf ids (a few dozen at a time: the filter travels in the URL). */
  idIn: (ids: readonly string[]): string => rsqlIn('id', ids),
};
