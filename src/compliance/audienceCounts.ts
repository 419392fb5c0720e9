import type { Verdict } from './diagnosisTypes';

/**
 * What an audience selection counts besides its recipients: what the confirmation card says
 * about who would be reminded, and who could not be.
 */
export interface AudienceCounts {
  /** Macs that need a reminder, per verdict. */
  macsByVerdict: Partial<Record<Verdict, number>>;
  /** Macs that need one but whose user is not known in Entra ID: nobody to remind. */
  unreachableMacs: number;
  /** People left out because they are not in the group (when a group was given). */
  outsideGroup: number;
}
