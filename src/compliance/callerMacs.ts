import type { UpstreamError, UpstreamService } from '../errors';
import type { Diagnosis } from './diagnosisTypes';
import type { EntraDevice, EntraUser, MacRecord } from './types';

/** One of the caller's Macs with its diagnosis (null when Entra ID could not be asked). */
export interface CallerMac {
  record: MacRecord;
  diagnosis: Diagnosis | null;
}

/**
 * Everything the bot knows about the person asking (`status`, troubleshooting, Contact IT): who
 * they are, their Macs, and whether they are in the connector's group. Plain data.
 */
export interface CallerMacs {
  user: EntraUser;
  macs: CallerMac[];
  /** Macs registered to them in Entra ID that no Jamf computer of theirs joins to. */
  entraOnly: EntraDevice[];
  /** In the Entra group the Jamf connector is assigned to; null = could not tell. */
  inConnectorGroup: boolean | null;
  connectorGroupName: string | null;
  /** Services that did not answer: what the card shows may be partial. */
  failures: { service: UpstreamService; error: UpstreamError }[];
}
