import type { ReasonCode } from './diagnosisTypes';

/** Short names for reason codes, for fleet "top reasons" lists where the per-Mac detail is too long. */
export const REASON_LABELS: Readonly<Record<ReasonCode, string>> = {
  not_in_applicable_group: 'Not in the Applicable group',
  inventory_stale: 'No recent inventory (stale)',
  no_user_assigned: 'No user assigned in Jamf Pro',
  user_not_found_in_entra: 'Jamf user not found in Entra ID',
  user_not_in_connector_group: "User not in the connector's group",
  company_portal_missing: 'Company Portal missing',
  no_entra_device: 'Not registered with Entra ID',
  entra_device_not_workplace_joined: 'Entra device is not a registered (Workplace) device',
  weak_join: 'Matched to Entra by name only',
  inventory_old: 'Inventory too old for the Compliance group',
  filevault_not_all_encrypted: 'FileVault not on for all disks',
  filevault_unknown: 'FileVault state unknown',
  not_in_compliance_group: 'Not in the Compliance group',
  waiting_first_report: 'Waiting for the first compliance report',
  sync_delayed: 'Entra ID still shows N/A',
  entra_not_compliant: 'Entra ID not updated to compliant',
};
