import { ENTITY_SPECS } from '../../demo/graphSimEntitySets';
import { checkAgainstCsdl, csdlProperties } from '../helpers/csdl';

describe('simulated Graph types agree with the v1.0 CSDL', () => {
  it.each(ENTITY_SPECS.map((s) => [s.type, s] as const))('%s: same structural properties', (_type, spec) => {
    const csdl = [...csdlProperties(spec.type).entries()].filter(([, p]) => !p.navigation).map(([k]) => k);
    expect([...spec.properties].sort()).toEqual(csdl.sort());
    for (const f of spec.filterable) expect(spec.properties.has(f)).toBe(true);
    for (const d of spec.defaultSelect ?? []) expect(spec.properties.has(d)).toBe(true);
  });

  it('the CSDL checker reports unknown properties, bad enum values and wrong derived types', () => {
    expect(
      checkAgainstCsdl('complianceManagementPartner', {
        id: 'p',
        partnerState: 'on',
        heartbeat: 'x',
        macOsEnrollmentAssignments: [{ target: { '@odata.type': '#microsoft.graph.user', groupId: 'g' } }],
      }),
    ).toEqual([
      '$.partnerState: "on" is not a member of enum microsoft.graph.deviceManagementPartnerTenantState',
      '$.heartbeat: not a property of microsoft.graph.complianceManagementPartner',
      '$.macOsEnrollmentAssignments[0].target: @odata.type microsoft.graph.user does not derive from microsoft.graph.deviceAndAppManagementAssignmentTarget',
      '$.macOsEnrollmentAssignments[0].target.groupId: not a property of microsoft.graph.deviceAndAppManagementAssignmentTarget',
    ]);
    expect(
      checkAgainstCsdl('device', {
        id: 'd',
        isCompliant: 'yes',
        registrationDateTime: '2026-01-01T00:00:00Z',
      }),
    ).toEqual(['$.isCompliant: "yes" is not a valid Edm.Boolean']);
  });
});
