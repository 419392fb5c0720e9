/**
 * Hand-written compliance records for the unit tests of src/compliance. The defaults describe
 * one healthy Mac under the seed's criteria at `NOW`; each test overrides what it is about.
 */
import type { EntraDevice, EntraUser, JamfComputer, MacRecord } from '../../src/compliance/types';

export const NOW = new Date('2025-03-10T12:00:00.000Z');
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** An ISO date `ms` before NOW. */
export const ago = (ms: number): string => new Date(NOW.getTime() - ms).toISOString();

export const APPLICABLE = { groupId: '11', groupName: 'Jamf-Intune Applicable Group', smartGroup: true };
export const COMPLIANCE = { groupId: '12', groupName: 'Jamf-Intune Compliance Group', smartGroup: true };

export function jamfComputer(over: Partial<JamfComputer> = {}): JamfComputer {
  return {
    id: '1',
    udid: '5A3C1E2B-0000-4000-8000-000000000001',
    name: 'Alex’s MacBook Pro',
    serialNumber: 'C02XK0AAJGH5',
    model: 'MacBook Pro (14-inch, M3, Nov 2023)',
    osVersion: '15.3.1',
    reportDate: ago(HOUR),
    lastContact: ago(HOUR / 2),
    fileVault2Status: 'ALL_ENCRYPTED',
    applications: ['Safari.app', 'Company Portal.app', 'Self Service.app'],
    username: 'alex',
    email: 'alex@contoso.com',
    realName: 'Alex Wilber',
    groups: [APPLICABLE, COMPLIANCE],
    ...over,
  };
}

export function entraDevice(over: Partial<EntraDevice> = {}): EntraDevice {
  return {
    id: 'obj-1',
    deviceId: 'b5d2f1a0-1111-4c2e-9a7b-000000000001',
    displayName: 'Alex’s MacBook Pro',
    isCompliant: true,
    isManaged: true,
    trustType: 'Workplace',
    operatingSystem: 'MacMDM',
    operatingSystemVersion: '15.3.1',
    registrationDateTime: ago(10 * DAY),
    approximateLastSignInDateTime: ago(2 * HOUR),
    ...over,
  };
}

export function entraUser(over: Partial<EntraUser> = {}): EntraUser {
  return {
    id: 'u-1',
    userPrincipalName: 'alex@contoso.com',
    displayName: 'Alex Wilber',
    mail: 'alex@contoso.com',
    ...over,
  };
}

/** A compliant, registered Mac joined by name and owner; pass `entra: null` etc. to break it. */
export function macRecord(
  over: Partial<Omit<MacRecord, 'jamf'>> & { jamf?: Partial<JamfComputer> } = {},
): MacRecord {
  const { jamf, ...rest } = over;
  return {
    jamf: jamfComputer(jamf),
    jamfCompliance: null,
    entra: entraDevice(),
    joinedBy: 'name-and-owner',
    user: entraUser(),
    userInConnectorGroup: true,
    ...rest,
  };
}
