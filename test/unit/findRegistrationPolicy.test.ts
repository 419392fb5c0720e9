import { findRegistrationPolicy } from '../../src/lookup/readOnboardingState';
import type { JamfPolicy } from '../../src/upstream/jamf/jamfPolicy';

const policy = (id: string, name: string, over: Partial<JamfPolicy> = {}): JamfPolicy => ({
  id,
  name,
  enabled: true,
  allComputers: false,
  groups: [],
  inSelfService: false,
  selfServiceName: '',
  ...over,
});

function jamf(policies: JamfPolicy[]) {
  const getPolicy = jest.fn(async (id: string) => policies.find((p) => p.id === id) ?? null);
  return {
    listPolicies: async () => policies.map((p) => ({ id: p.id, name: p.name })),
    getPolicy,
  };
}

describe('findRegistrationPolicy', () => {
  it('takes the policy with the configured name (any case), reading only that one', async () => {
    const j = jamf([policy('1', 'Install Rosetta'), policy('2', 'register with microsoft entra id')]);
    const found = await findRegistrationPolicy(j, 'Register with Microsoft Entra ID');
    expect(found.policy?.id).toBe('2');
    expect(j.getPolicy).toHaveBeenCalledTimes(1);
  });

  it('else the likeliest of those that look like registration: in Self Service, enabled', async () => {
    const j = jamf([
      policy('1', 'Entra registration (old)', { enabled: false }),
      policy('2', 'Azure AD register', { inSelfService: true, selfServiceName: 'Register this Mac' }),
      policy('3', 'Install Rosetta'),
    ]);
    expect((await findRegistrationPolicy(j, 'Register with Microsoft Entra ID')).policy?.id).toBe('2');
    expect(j.getPolicy).not.toHaveBeenCalledWith('3');
  });

  it('none: null, with the name users are told to look for', async () => {
    expect(await findRegistrationPolicy(jamf([policy('3', 'Install Rosetta')]), 'Register')).toEqual({
      expectedName: 'Register',
      policy: null,
    });
  });
});
