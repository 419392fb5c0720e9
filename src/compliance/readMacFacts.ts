import { hasApplication } from './hasApplication';
import { isInGroup } from './isInGroup';
import { parseTimestamp } from './parseTimestamp';
import type { ComplianceCriteria, MacRecord } from './types';

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

/** The yes/no facts the verdict and the reasons are built from, each computed once. */
export interface MacFacts {
  /** In the Applicable group, or Jamf's compliance info says applicable. */
  applicable: boolean;
  inComplianceGroup: boolean;
  /** In the Compliance group, or Jamf reported COMPLIANT: either means Jamf claims compliance. */
  jamfCompliant: boolean;
  /** Age of the last inventory (`reportDate`); null when Jamf has none. Never negative. */
  inventoryAgeMs: number | null;
  lastContactAgeMs: number | null;
  /** No inventory *less than* `staleAfterDays` ago (or none at all). */
  stale: boolean;
  /** No inventory *less than* `inventoryMaxAgeDays` ago: the Compliance group's date criterion fails. */
  inventoryOld: boolean;
  appMissing: boolean;
  /** `ok` also when the criteria do not check FileVault. */
  fileVault: 'ok' | 'unknown' | 'failed';
  registered: boolean;
  entraCompliant: boolean;
  registrationAgeMs: number | null;
  /** Time since Jamf could first have reported the current state (see `syncSince`). */
  syncElapsedMs: number | null;
  /** Which event `syncElapsedMs` counts from. */
  syncSince: 'registration' | 'inventory' | null;
  /** `syncElapsedMs` is strictly longer than `syncDelayHours`. */
  syncOverdue: boolean;
}

const ageOf = (iso: string | null | undefined, nowMs: number): number | null => {
  const at = parseTimestamp(iso);
  return at === null ? null : Math.max(0, nowMs - at);
};

/**
 * Derives the facts. Day boundaries follow Jamf's "Last Inventory Update — less than x days ago"
 * operator, which is strict: a Mac inventoried exactly 2 days ago is *not* "less than 2 days ago".
 * The sync clock starts at the later of registration and the last inventory: Jamf can only
 * report a registered device, and Compliance group membership only changes at an inventory,
 * so that is the latest moment Jamf's current claim can have started. Counting from there
 * never calls a Mac out of sync early (it may call it late, which is the safer mistake).
 */
export function readMacFacts(record: MacRecord, criteria: ComplianceCriteria, now: Date): MacFacts {
  const nowMs = now.getTime();
  const { jamf, jamfCompliance, entra } = record;
  const groups = jamf.groups ?? [];
  const inventoryAgeMs = ageOf(jamf.reportDate, nowMs);
  const inComplianceGroup = isInGroup(groups, criteria.complianceGroup);
  const registrationAgeMs = ageOf(entra?.registrationDateTime, nowMs);

  let syncElapsedMs: number | null = null;
  let syncSince: MacFacts['syncSince'] = null;
  if (inventoryAgeMs !== null && (registrationAgeMs === null || inventoryAgeMs <= registrationAgeMs)) {
    syncElapsedMs = inventoryAgeMs;
    syncSince = 'inventory';
  } else if (registrationAgeMs !== null) {
    syncElapsedMs = registrationAgeMs;
    syncSince = 'registration';
  }

  const fvRequired = criteria.requiredFileVault;
  const fvStatus = jamf.fileVault2Status ?? null;
  return {
    applicable: isInGroup(groups, criteria.applicableGroup) || jamfCompliance?.applicable === true,
    inComplianceGroup,
    jamfCompliant: inComplianceGroup || jamfCompliance?.complianceState === 'COMPLIANT',
    inventoryAgeMs,
    lastContactAgeMs: ageOf(jamf.lastContact, nowMs),
    stale: inventoryAgeMs === null || !(inventoryAgeMs < criteria.staleAfterDays * DAY_MS),
    inventoryOld: inventoryAgeMs === null || !(inventoryAgeMs < criteria.inventoryMaxAgeDays * DAY_MS),
    appMissing:
      criteria.requiredApp !== null && !hasApplication(jamf.applications ?? [], criteria.requiredApp),
    fileVault:
      fvRequired === null ? 'ok' : fvStatus === null ? 'unknown' : fvStatus === fvRequired ? 'ok' : 'failed',
    registered: entra !== null,
    entraCompliant: entra?.isCompliant === true,
    registrationAgeMs,
    syncElapsedMs,
    syncSince,
    syncOverdue: syncElapsedMs !== null && syncElapsedMs > criteria.syncDelayHours * HOUR_MS,
  };
}
