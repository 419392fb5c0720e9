import { DEMO_FLEET_IDS, DEMO_JAMF_GROUP_NAMES } from '../../demo/demoFleetIds';
import { makeNotOnboarded } from '../../demo/demoScenarios';
import { generateFleet } from '../../demo/generateFleet';

const NOW = new Date('2026-11-26T09:00:00Z');

describe('a demo tenant that was never onboarded (startDemoTenant({ fresh: true }))', () => {
  it('has the partner but no assignment, no connector group, no Applicable or Compliance smart group', () => {
    const fleet = generateFleet({ size: 40, now: NOW });
    const ids = DEMO_FLEET_IDS.jamfGroups;
    const memberOf = (id: string) =>
      fleet.jamf.computers.filter((c) => c.groupMemberships.some((m) => m.groupId === id));
    expect(memberOf(ids.applicable).length).toBeGreaterThan(0);
    makeNotOnboarded(fleet, NOW);
    expect(fleet.graph.compliancePartners).toHaveLength(1);
    expect(fleet.graph.compliancePartners[0]?.macOsEnrollmentAssignments).toEqual([]);
    expect(fleet.graph.groups.some((g) => g.id === DEMO_FLEET_IDS.connectorGroupId)).toBe(false);
    expect(fleet.jamf.smartGroups.map((g) => g.name)).toEqual([
      DEMO_JAMF_GROUP_NAMES.allManagedClients,
      DEMO_JAMF_GROUP_NAMES.macOs15,
    ]);
    expect(memberOf(ids.applicable)).toEqual([]);
    expect(memberOf(ids.compliance)).toEqual([]);
    expect(memberOf(ids.allManagedClients)).toHaveLength(fleet.jamf.computers.length);
    // Conditional Access and the Entra apps are as generated.
    expect(fleet.graph.caPolicies.length).toBeGreaterThan(0);
    expect(fleet.graph.servicePrincipals.length).toBe(3);
  });
});
