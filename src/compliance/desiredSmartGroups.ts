import { FILEVAULT_LABELS } from './fileVaultLabels';
import type { DesiredSmartGroup, SmartGroupRole } from './onboardingTypes';
import type { ComplianceCriteria } from './types';

/** Jamf Pro's criterion names, as its console and the seed article word them. */
export const CRITERION = {
  appTitle: 'Application Title',
  lastInventory: 'Last Inventory Update',
  /** The exact label is unconfirmed (FACTS.md); the demo's Jamf Pro uses this one. */
  fileVault: 'FileVault 2 Partition Encryption State',
} as const;

/**
 * The *Applicable* and *Compliance* smart groups the configured criteria describe — by default
 * the seed article's: Applicable = Application Title is CompanyPortal.app; Compliance = Last
 * Inventory Update less than 2 days ago and the app and FileVault 2 All Partitions Encrypted.
 * A group configured by id keeps the id as its name here (it can only be checked, not created).
 */
export function desiredSmartGroups(criteria: ComplianceCriteria): Record<SmartGroupRole, DesiredSmartGroup> {
  const app = criteria.requiredApp
    ? [{ name: CRITERION.appTitle, searchType: 'is', value: criteria.requiredApp }]
    : [];
  return {
    applicable: {
      name: criteria.applicableGroup,
      description:
        'Macs that need access to Microsoft 365 (Jamf device compliance: Applicable). Created by the Jamf Compliance bot.',
      criteria: app,
    },
    compliance: {
      name: criteria.complianceGroup,
      description:
        'Macs Jamf Pro deems compliant, reported to Intune (Jamf device compliance: Compliance). Created by the Jamf Compliance bot.',
      criteria: [
        {
          name: CRITERION.lastInventory,
          searchType: 'less than x days ago',
          value: String(criteria.inventoryMaxAgeDays),
        },
        ...app,
        ...(criteria.requiredFileVault
          ? [
              {
                name: CRITERION.fileVault,
                searchType: 'is',
                value: FILEVAULT_LABELS[criteria.requiredFileVault],
              },
            ]
          : []),
      ],
    },
  };
}
