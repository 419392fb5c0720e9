import type { FileVaultStatus } from './types';

/** Jamf's FileVault 2 states as the Jamf Pro console words them. */
export const FILEVAULT_LABELS: Readonly<Record<FileVaultStatus, string>> = {
  ALL_ENCRYPTED: 'All Partitions Encrypted',
  BOOT_ENCRYPTED: 'Boot Partitions Encrypted',
  SOME_ENCRYPTED: 'Some Partitions Encrypted',
  NOT_ENCRYPTED: 'Not Encrypted',
  NOT_APPLICABLE: 'Not Applicable',
};

/** The label for a state, or the raw value when Jamf sends one we do not know. */
export function fileVaultLabel(status: string | null | undefined): string {
  if (!status) return 'unknown';
  return FILEVAULT_LABELS[status as FileVaultStatus] ?? status;
}
