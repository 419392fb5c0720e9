import type { JamfComplianceInfo, JamfComputer } from '../../compliance/types';
import type { JamfInventorySection } from './jamfClient';

/**
 * The Jamf Pro reads the fleet sync uses, page by page so a long throttle or a crash resumes
 * from the last finished page. `JamfClient` implements them. A throttled page rejects with
 * `UpstreamError` code `throttled` and `retryAfterMs` once the client's retry budget is spent.
 */
export interface JamfFleetReads {
  /** One page (0-based) of `/api/v4/computers-inventory`, sorted by id, with Jamf's `totalCount`. */
  getComputersPage(opts: {
    page: number;
    pageSize: number;
    sections?: readonly JamfInventorySection[];
    /** RSQL, e.g. from `reportedSince` (src/upstream/jamf/rsql.ts). */
    filter?: string;
    signal?: AbortSignal;
  }): Promise<{ totalCount: number; computers: JamfComputer[] }>;
  /** Every computer id in Jamf Pro, by the cheapest listing the contract allows (for finding deleted Macs). */
  listComputerIds(opts?: {
    signal?: AbortSignal;
    /** Ids already known (the snapshot's): split the listing into ranges read at once. */
    knownIds?: readonly string[];
  }): Promise<string[]>;
  getComplianceInfo(computerId: string): Promise<JamfComplianceInfo | null>;
}
