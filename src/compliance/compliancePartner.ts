/*
 * The Intune compliance partner (the Jamf connector) as plain data: the Graph client reads it,
 * the connector rules and cards reason about it, so it lives here, below both.
 */

/** Graph's `deviceManagementPartnerTenantState` enum (CSDL; the Graph simulator validates writes against it too). */
export const PARTNER_STATES = [
  'unknown',
  'unavailable',
  'enabled',
  'terminated',
  'rejected',
  'unresponsive',
] as const;
export type PartnerState = (typeof PARTNER_STATES)[number];

/** An enrollment assignment of the partner connector, by what it targets. */
export type PartnerAssignmentTarget =
  | { kind: 'group'; groupId: string }
  | { kind: 'allUsers'; odataType: string }
  | { kind: 'other'; odataType: string; groupId?: string };

export type PartnerPlatform = 'macOs' | 'ios' | 'android';

/** An Intune `complianceManagementPartner` (the Jamf connector is one). */
export interface CompliancePartner {
  id: string;
  displayName: string;
  partnerState: PartnerState;
  lastHeartbeatDateTime: string | null;
  macOsOnboarded: boolean;
  iosOnboarded: boolean;
  androidOnboarded: boolean;
  assignments: Record<PartnerPlatform, PartnerAssignmentTarget[]>;
}
