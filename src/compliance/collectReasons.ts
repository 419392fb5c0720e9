import { fileVaultLabel } from './fileVaultLabels';
import { describeDuration } from './describeDuration';
import type { DiagnosisContext, Reason, Verdict } from './diagnosisTypes';
import { HOUR_MS, type MacFacts } from './readMacFacts';
import type { ComplianceCriteria, MacRecord } from './types';

/** The seed's example name for the Self Service registration policy. */
const DEFAULT_POLICY = 'Register with Microsoft Entra ID';
const UPDATE_INVENTORY = 'Make sure the Mac is on and connected; run *Update Inventory* in Self Service.';
const GATHER_AAD_INFO =
  'Open Terminal and run `/usr/local/jamf/bin/jamfaad gatherAADInfo`. If it says Entra ID was acquired, ' +
  'registration is fine: tell IT. If it asks you to sign in, sign in and check again in an hour. ' +
  'If signing in fails, contact IT.';

/** Config may name a group by id; "the Compliance group (Jamf id 7)" reads better than “7”. */
const groupLabel = (kind: string, group: string): string =>
  /^\d+$/.test(group.trim()) ? `the ${kind} group (Jamf id ${group.trim()})` : `the ${kind} group “${group}”`;

const ago = (ms: number | null): string =>
  ms === null ? 'at an unknown time' : `${describeDuration(ms)} ago`;

const entraState = (isCompliant: boolean | null | undefined): string =>
  isCompliant === false ? 'Not compliant' : 'N/A';

/**
 * Every reason that applies to the Mac, unordered. Only the Applicable group is checked for a
 * Mac outside it: the rest of the integration does not concern it. The waiting and sync reasons
 * belong to their verdicts only, since they are conclusions drawn from everything else.
 */
export function collectReasons(
  record: MacRecord,
  facts: MacFacts,
  verdict: Verdict,
  criteria: ComplianceCriteria,
  context: DiagnosisContext,
): Reason[] {
  const { jamf, entra, user } = record;
  const reasons: Reason[] = [];
  const inventory =
    facts.inventoryAgeMs === null
      ? 'Jamf Pro has no inventory date for this Mac'
      : `Last inventory ${ago(facts.inventoryAgeMs)}`;
  const contact = facts.lastContactAgeMs === null ? '' : `; last check-in ${ago(facts.lastContactAgeMs)}`;

  if (!facts.applicable) {
    const app = criteria.requiredApp;
    const missing = app !== null && facts.appMissing ? ` ${app} is not installed on it.` : '';
    reasons.push({
      code: 'not_in_applicable_group',
      criterion: 'applicableGroup',
      level: 'problem',
      detail: `Not a member of ${groupLabel('Applicable', criteria.applicableGroup)}, so Jamf Pro does not report it to Intune.${missing}`,
      fix: {
        who: 'it',
        text: missing
          ? `If this Mac should be covered, deploy ${app} to it (Jamf Pro › Computers › Mac Apps, Install Automatically); otherwise nothing to do.`
          : `If this Mac should be covered, make it match ${groupLabel('Applicable', criteria.applicableGroup)} in Jamf Pro; otherwise nothing to do.`,
      },
    });
    if (facts.stale) {
      reasons.push({
        code: 'inventory_stale',
        criterion: 'staleAfterDays',
        level: 'warning',
        detail: `${inventory}${contact}, so its group memberships may be out of date.`,
        fix: { who: 'user', text: UPDATE_INVENTORY },
      });
    }
    return reasons;
  }

  const criterionLevel: Reason['level'] = facts.jamfCompliant ? 'warning' : 'problem';
  const stillCounted = facts.jamfCompliant
    ? ' Jamf Pro still counts it compliant, until its next check.'
    : '';

  if (facts.stale) {
    reasons.push({
      code: 'inventory_stale',
      criterion: 'staleAfterDays',
      level: 'problem',
      detail: `${inventory} (stale after ${criteria.staleAfterDays} days)${contact}.`,
      fix: { who: 'user', text: UPDATE_INVENTORY },
    });
  } else if (facts.inventoryOld) {
    reasons.push({
      code: 'inventory_old',
      criterion: 'inventoryMaxAgeDays',
      level: criterionLevel,
      detail: `${inventory}; the Compliance group needs one less than ${criteria.inventoryMaxAgeDays} days old.${stillCounted}`,
      fix: { who: 'user', text: UPDATE_INVENTORY },
    });
  }

  const jamfUser = (jamf.email ?? '').trim() || (jamf.username ?? '').trim();
  if (jamfUser === '') {
    reasons.push({
      code: 'no_user_assigned',
      criterion: 'connectorGroup',
      level: 'warning',
      detail:
        'No user is assigned to this Mac in Jamf Pro, so the bot cannot check their access or remind them.',
      fix: {
        who: 'it',
        text: "In Jamf Pro, set the Mac's User and Location (username and email) to the person who uses it.",
      },
    });
  } else if (user === null) {
    reasons.push({
      code: 'user_not_found_in_entra',
      criterion: 'connectorGroup',
      level: 'warning',
      detail: `The Mac's Jamf user “${jamfUser}” matches no Entra ID user by email or user principal name.`,
      fix: {
        who: 'it',
        text: "Correct the Mac's User and Location in Jamf Pro to the person's Entra ID email or UPN.",
      },
    });
  } else if (record.userInConnectorGroup === false) {
    const group = context.connectorGroupName
      ? `the Entra group “${context.connectorGroupName}”`
      : 'the Entra group the Jamf connector is assigned to';
    reasons.push({
      code: 'user_not_in_connector_group',
      criterion: 'connectorGroup',
      level: verdict === 'compliant' ? 'warning' : 'problem',
      detail: `${user.userPrincipalName} is not in ${group}, so Intune does not accept this Mac's compliance from Jamf.`,
      fix: { who: 'it', text: `Add ${user.userPrincipalName} to ${group}.` },
    });
  }

  if (facts.appMissing && criteria.requiredApp !== null) {
    reasons.push({
      code: 'company_portal_missing',
      criterion: 'requiredApp',
      level: criterionLevel,
      detail: `${criteria.requiredApp} is not installed; registration and the Compliance group need it.${stillCounted}`,
      fix: {
        who: 'it',
        text: `Deploy ${criteria.requiredApp} to this Mac (Jamf Pro › Computers › Mac Apps, Install Automatically). Users install it but must not register with it.`,
      },
    });
  }

  if (entra === null) {
    const policy = context.selfServicePolicyName ?? DEFAULT_POLICY;
    reasons.push({
      code: 'no_entra_device',
      criterion: 'registration',
      level: 'problem',
      detail: `No Entra ID device matches this Mac (by the device id Jamf reports, or by the name “${jamf.name}”).`,
      fix: {
        who: 'user',
        text: `Open **Self Service** and run *${policy}* — not the Company Portal app (that fails with AccountNotOnboarded).`,
      },
    });
  } else {
    if (entra.trustType !== null && entra.trustType !== undefined && entra.trustType !== 'Workplace') {
      reasons.push({
        code: 'entra_device_not_workplace_joined',
        criterion: 'registration',
        level: 'warning',
        detail: `The matched Entra device “${entra.displayName}” has join type ${entra.trustType}; a Jamf registration creates a registered (Workplace) device.`,
        fix: {
          who: 'it',
          text: 'Check in Entra ID that this device record is this Mac, and remove stale duplicates.',
        },
      });
    }
    if (record.joinedBy === 'name') {
      reasons.push({
        code: 'weak_join',
        criterion: 'registration',
        level: 'warning',
        detail: `Matched to the Entra device “${entra.displayName}” (${entra.deviceId}) by name only.`,
        fix: {
          who: 'it',
          text: "Confirm that this Entra device is this Mac; Jamf Pro's compliance information would link them for certain.",
        },
      });
    }
  }

  if (facts.fileVault === 'failed') {
    const status = fileVaultLabel(jamf.fileVault2Status);
    reasons.push({
      code: 'filevault_not_all_encrypted',
      criterion: 'requiredFileVault',
      level: criterionLevel,
      detail: `FileVault 2 is ${status}; the Compliance group needs ${fileVaultLabel(criteria.requiredFileVault)}.${stillCounted}`,
      fix: {
        who: 'user',
        text: 'Turn FileVault on for all disks: System Settings › Privacy & Security › FileVault.',
      },
    });
  } else if (facts.fileVault === 'unknown') {
    reasons.push({
      code: 'filevault_unknown',
      criterion: 'requiredFileVault',
      level: 'warning',
      detail: `Jamf Pro's inventory has no FileVault state for this Mac; the Compliance group needs ${fileVaultLabel(criteria.requiredFileVault)}.`,
      fix: { who: 'user', text: UPDATE_INVENTORY },
    });
  }

  if (!facts.jamfCompliant) {
    const explained = facts.inventoryOld || facts.appMissing || facts.fileVault === 'failed';
    reasons.push({
      code: 'not_in_compliance_group',
      criterion: 'complianceGroup',
      level: 'problem',
      detail: `Not a member of ${groupLabel('Compliance', criteria.complianceGroup)}, so Jamf Pro reports it not compliant.`,
      fix: explained
        ? {
            who: 'user',
            text: 'Once the items above are fixed, run *Update Inventory* in Self Service so Jamf Pro checks again.',
          }
        : {
            who: 'it',
            text: `The checks the bot knows all pass: compare the Mac with ${groupLabel('Compliance', criteria.complianceGroup)}'s criteria in Jamf Pro (it may have others, or need recalculating).`,
          },
    });
  }

  if (entra !== null && (verdict === 'waiting_first_report' || verdict === 'out_of_sync')) {
    const since = facts.syncSince === 'registration' ? 'registration' : 'the last inventory';
    const expected = `expected within ${criteria.syncDelayHours} hours`;
    if (verdict === 'waiting_first_report') {
      const left = criteria.syncDelayHours * HOUR_MS - (facts.syncElapsedMs ?? 0);
      reasons.push({
        code: 'waiting_first_report',
        criterion: 'syncDelayHours',
        level: 'problem',
        detail: `Registered ${ago(facts.registrationAgeMs)}; Entra ID shows ${entraState(entra.isCompliant)}. Jamf Pro counts it compliant; the report is ${expected} of ${since}.`,
        fix: {
          who: 'user',
          text: `Nothing to do yet: check again in about ${describeDuration(Math.max(left, HOUR_MS))}.`,
        },
      });
    } else {
      const late = `${describeDuration(facts.syncElapsedMs ?? 0)} after ${since} (${expected})`;
      reasons.push(
        entra.isCompliant === false
          ? {
              code: 'entra_not_compliant',
              criterion: 'syncDelayHours',
              level: 'problem',
              detail: `Jamf Pro counts it compliant, but Entra ID still shows Not compliant ${late}.`,
              fix: {
                who: 'it',
                text: 'Run **connector status**: the Jamf connector must be enabled with a recent heartbeat. If it is, ask the user to run `/usr/local/jamf/bin/jamfaad gatherAADInfo` in Terminal.',
              },
            }
          : {
              code: 'sync_delayed',
              criterion: 'syncDelayHours',
              level: 'problem',
              detail: `Jamf Pro counts it compliant, but Entra ID still shows N/A ${late}: the device record is likely incomplete.`,
              fix: { who: 'user', text: GATHER_AAD_INFO },
            },
      );
    }
  }

  return reasons;
}
