import type { ComplianceCriteria } from './types';

/**
 * The seed article's example groups: *Jamf-Intune Applicable Group* (Application Title is
 * CompanyPortal.app) and *Jamf-Intune Compliance Group* (Last Inventory Update less than 2 days
 * ago, Company Portal installed, FileVault 2 All Partitions Encrypted).
 */
export const DEFAULT_CRITERIA: ComplianceCriteria = {
  applicableGroup: 'Jamf-Intune Applicable Group',
  complianceGroup: 'Jamf-Intune Compliance Group',
  inventoryMaxAgeDays: 2,
  requiredApp: 'CompanyPortal.app',
  requiredFileVault: 'ALL_ENCRYPTED',
  staleAfterDays: 14,
  syncDelayHours: 8,
};
