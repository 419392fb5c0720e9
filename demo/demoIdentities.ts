/**
 * The people and ids of the built-in demo tenant. The Agents Playground's config
 * (`.m365agentsplayground.yml`) uses the same ids, so whoever chats in the Playground is a real
 * user of the simulated tenant: the current user is an admin who owns a Mac, the others are
 * end users whose Macs are in different states. A test keeps the two files in agreement.
 */

export const DEMO_TENANT_ID = '6f1c2a7e-3d4b-4c8a-9e5f-1a2b3c4d5e6f';
export const DEMO_BOT_ID = '9b2f6c1e-0d3a-4f7b-8c5e-2a1d4b6c8e0f';
export const DEMO_DOMAIN = 'jamfdemo.example';

/** The verdict the fleet generator gives each named person's Mac. */
export type DemoMacState =
  | 'compliant'
  | 'not_applicable'
  | 'not_registered'
  | 'waiting_first_report'
  | 'not_compliant'
  | 'out_of_sync'
  | 'stale';

export interface DemoPerson {
  /** Teams user id the Playground uses. */
  teamsId: string;
  aadObjectId: string;
  name: string;
  givenName: string;
  surname: string;
  upn: string;
  admin: boolean;
  /** Mac(s) the fleet generator creates for this person. */
  macs: { name: string; serial: string; state: DemoMacState }[];
  /** Whether the person is in the connector's Entra user group. */
  inConnectorGroup: boolean;
}

const person = (
  n: number,
  givenName: string,
  surname: string,
  admin: boolean,
  inConnectorGroup: boolean,
  macs: DemoPerson['macs'],
): DemoPerson => ({
  teamsId: `29:demo-user-${n}`,
  aadObjectId: `0d6e1f2a-0000-4000-8000-${String(n).padStart(12, '0')}`,
  name: `${givenName} ${surname}`,
  givenName,
  surname,
  upn: `${givenName}.${surname}`.toLowerCase().replace(/[^a-z.]/g, '') + `@${DEMO_DOMAIN}`,
  admin,
  inConnectorGroup,
  macs,
});

/** The Playground's people, current user first (the Playground takes exactly five other users). */
export const DEMO_PEOPLE: DemoPerson[] = [
  person(1, 'Alex', 'Wilber', true, true, [
    { name: 'Alex’s MacBook Pro', serial: 'C02DEMO0001', state: 'compliant' },
  ]),
  person(2, 'Megan', 'Bowen', false, true, [
    { name: 'Megan’s MacBook Air', serial: 'C02DEMO0002', state: 'not_registered' },
  ]),
  person(4, 'Isaiah', 'Langer', false, true, [
    { name: 'Isaiah’s MacBook Pro', serial: 'C02DEMO0004', state: 'not_compliant' },
  ]),
  person(5, 'Patti', 'Fernandez', false, true, [
    { name: 'Patti’s MacBook Pro', serial: 'C02DEMO0005', state: 'out_of_sync' },
    { name: 'Patti’s iMac', serial: 'C02DEMO0015', state: 'stale' },
  ]),
  person(6, 'Lynne', 'Robbins', false, false, [
    { name: 'Lynne’s MacBook Air', serial: 'C02DEMO0006', state: 'waiting_first_report' },
  ]),
  person(7, 'Miriam', "O'Brien", false, true, [
    { name: 'Miriam’s Mac mini', serial: 'C02DEMO0007', state: 'not_applicable' },
  ]),
];

export const DEMO_TEAM = {
  id: '19:demo-team-it@thread.tacv2',
  name: 'IT Admins',
  aadGroupId: '0d6e1f2a-0000-4000-9000-000000000031',
  channel: { id: '19:demo-channel-compliance@thread.tacv2', name: 'Device compliance' },
};
