/**
 * The plain data the domain works on. Upstream clients produce these from the Jamf Pro and
 * Microsoft Graph wire formats; the diagnosis, fleet counts and audience selection consume them.
 * No I/O, no classes: plain objects that tests can write by hand.
 */

/** `OPERATING_SYSTEM.fileVault2Status` in Jamf Pro's v4 inventory. */
export type FileVaultStatus =
  'NOT_APPLICABLE' | 'NOT_ENCRYPTED' | 'BOOT_ENCRYPTED' | 'SOME_ENCRYPTED' | 'ALL_ENCRYPTED';

/** Jamf's own compliance state for a computer (`/api/v1/conditional-access/device-compliance-information`). */
export type JamfComplianceState = 'UNKNOWN' | 'NON_COMPLIANT' | 'COMPLIANT';

export interface JamfGroupMembership {
  groupId: string;
  groupName: string;
  smartGroup: boolean;
}

/** One Mac as Jamf Pro's inventory describes it (sections GENERAL, HARDWARE, OPERATING_SYSTEM,
 *  APPLICATIONS, USER_AND_LOCATION, GROUP_MEMBERSHIPS), flattened. Dates are ISO-8601 strings. */
export interface JamfComputer {
  id: string;
  udid: string | null;
  name: string;
  serialNumber: string | null;
  model: string | null;
  osVersion: string | null;
  /** `general.reportDate`: the last inventory update. */
  reportDate: string | null;
  /** `general.lastContact`: the last time the Mac checked in. */
  lastContact: string | null;
  fileVault2Status: FileVaultStatus | null;
  /** Application names as inventoried, e.g. `Company Portal.app`. */
  applications: string[];
  username: string | null;
  email: string | null;
  realName: string | null;
  groups: JamfGroupMembership[];
}

/** What Jamf Pro says it reported to Intune for one computer. */
export interface JamfComplianceInfo {
  computerId: string;
  applicable: boolean;
  complianceState: JamfComplianceState;
  /** The Entra `deviceId`(s) Jamf associates with the computer (from `complianceVendorDeviceInformation.deviceIds`). */
  entraDeviceIds: string[];
}

/** `trustType` of an Entra device. */
export type EntraTrustType = 'Workplace' | 'AzureAd' | 'ServerAd';

/** An Entra ID device record (`GET /devices`). */
export interface EntraDevice {
  /** The directory object id. */
  id: string;
  /** The device id (what Jamf reports and the Entra admin center shows as "Device ID"). */
  deviceId: string;
  displayName: string;
  isCompliant: boolean | null;
  isManaged: boolean | null;
  trustType: EntraTrustType | null;
  operatingSystem: string | null;
  operatingSystemVersion: string | null;
  registrationDateTime: string | null;
  approximateLastSignInDateTime: string | null;
  /** Registered owners' user principal names, when the client expanded them. */
  ownerUpns?: string[];
  /** Registered owners' object ids, when the client expanded them. */
  ownerIds?: string[];
}

/** An Entra ID user. */
export interface EntraUser {
  id: string;
  userPrincipalName: string;
  displayName: string | null;
  mail: string | null;
}

/** How a Jamf computer and an Entra device were matched — the card says which. */
export type JoinMethod =
  /** Jamf's compliance information names the Entra deviceId: the authoritative link. */
  | 'jamf-device-id'
  /** Same computer name and the Mac's Jamf user is a registered owner of the device. */
  | 'name-and-owner'
  /** Same computer name only (weaker: names are not unique). */
  | 'name'
  /** No Entra device found. */
  | 'none';

/** One Mac with everything the diagnosis needs, joined across Jamf Pro and Entra ID. */
export interface MacRecord {
  jamf: JamfComputer;
  /** Jamf's reported compliance info, when it was fetched. */
  jamfCompliance: JamfComplianceInfo | null;
  entra: EntraDevice | null;
  joinedBy: JoinMethod;
  /** The Entra user behind the Mac's Jamf user (by UPN or e-mail), if found. */
  user: EntraUser | null;
  /** Is that user in an Entra group the connector's macOS assignment targets? `null` = unknown. */
  userInConnectorGroup: boolean | null;
}

/**
 * The tenant's compliance criteria. The seed article's example is the default
 * (src/compliance/defaultCriteria.ts); a tenant's smart groups may differ, so all of it is config.
 */
export interface ComplianceCriteria {
  /** Jamf smart group that scopes the integration: name or id. */
  applicableGroup: string;
  /** Jamf smart group whose members are compliant: name or id. */
  complianceGroup: string;
  /** "Last Inventory Update less than N days ago". */
  inventoryMaxAgeDays: number;
  /** Inventoried application the groups require, e.g. `CompanyPortal.app` (matched ignoring case and spaces). */
  requiredApp: string | null;
  /** FileVault state the Compliance group requires, or null when it does not check FileVault. */
  requiredFileVault: FileVaultStatus | null;
  /** No inventory for this many days → the Mac is *stale*. */
  staleAfterDays: number;
  /** Jamf says compliant but Entra says not for longer than this → *out of sync*. */
  syncDelayHours: number;
}
