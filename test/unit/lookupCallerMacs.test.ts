import { DEFAULT_CRITERIA } from '../../src/compliance/defaultCriteria';
import type { EntraDevice, JamfComputer } from '../../src/compliance/types';
import { UpstreamError, UserInputError } from '../../src/errors';
import type { LookupDeps } from '../../src/lookup/lookupMacs';
import { lookupCallerMacs } from '../../src/lookup/lookupCallerMacs';
import { APPLICABLE, NOW, entraDevice, entraUser, jamfComputer } from './complianceFixtures';

const ME = entraUser({ id: 'me', userPrincipalName: 'me@contoso.com', mail: 'me.mail@contoso.com' });
const CONNECTOR_GROUP = 'g-1';

/** Fake clients over a tiny directory; records every call so tests can see what was asked. */
function fakeDeps(opts: {
  computers?: JamfComputer[];
  devices?: EntraDevice[];
  myDeviceIds?: string[];
  members?: string[];
  graphDown?: boolean;
  knownUser?: boolean;
}) {
  const calls: string[] = [];
  const computers = opts.computers ?? [];
  const devices = opts.devices ?? [];
  const down = () => new UpstreamError('graph', 'unavailable', 'down');
  const deps: LookupDeps = {
    jamf: {
      listComputers: async () => [],
      findComputers: async (q) => {
        calls.push(`jamf.find ${JSON.stringify(q)}`);
        return computers.filter((c) => c.email?.toLowerCase() === q.userEmail?.toLowerCase());
      },
      getComplianceInfo: async () => null,
      getComputer: async () => null,
    },
    graph: {
      getDeviceByDeviceId: async (id) => devices.find((d) => d.deviceId === id) ?? null,
      findDevicesByName: async (name) => {
        calls.push(`graph.byName ${name}`);
        return devices.filter((d) => d.displayName === name);
      },
      findUser: async (v) => {
        calls.push(`graph.findUser ${v}`);
        return [ME.userPrincipalName, ME.mail].includes(v) ? ME : null;
      },
      getUser: async (id) => {
        calls.push(`graph.getUser ${id}`);
        if (opts.graphDown) throw down();
        return opts.knownUser === false || id !== ME.id ? null : ME;
      },
      getUserDevices: async (id) => {
        calls.push(`graph.userDevices ${id}`);
        if (opts.graphDown) throw down();
        return devices.filter((d) => (opts.myDeviceIds ?? []).includes(d.id));
      },
      checkMemberGroups: async (id, groups) => {
        calls.push(`graph.checkMemberGroups ${id}`);
        return (opts.members ?? []).includes(id) || (opts.members ?? []).includes(ME.id) ? groups : [];
      },
    },
    connectorScope: async () => ({
      partner: null,
      groupIds: [CONNECTOR_GROUP],
      groupNames: { [CONNECTOR_GROUP]: 'Mac users' },
      assignsAllUsers: false,
    }),
  };
  return { deps, calls };
}

const lookup = (deps: LookupDeps, id: string | null = ME.id) =>
  lookupCallerMacs(id, deps, DEFAULT_CRITERIA, NOW);

describe('lookupCallerMacs: the caller, from the authenticated activity only', () => {
  it('asks Graph by object id, Jamf by the UPN and the mail address, nothing else', async () => {
    const mine = jamfComputer({ id: '7', name: 'My Mac', email: 'me@contoso.com' });
    const { deps, calls } = fakeDeps({
      computers: [mine, jamfComputer({ id: '8', email: 'someone@contoso.com' })],
      devices: [entraDevice({ id: 'd7', displayName: 'My Mac', ownerUpns: ['me@contoso.com'] })],
      myDeviceIds: ['d7'],
      members: [ME.id],
    });
    const found = await lookup(deps);
    expect(found.user.id).toBe('me');
    expect(found.macs.map((m) => m.record.jamf.id)).toEqual(['7']);
    expect(found.macs[0]!.diagnosis?.verdict).toBe('compliant');
    expect(found.inConnectorGroup).toBe(true);
    expect(found.connectorGroupName).toBe('Mac users');
    expect(calls).toContain('graph.getUser me');
    expect(calls).toContain('graph.userDevices me');
    expect(calls).toContain('jamf.find {"userEmail":"me@contoso.com"}');
    expect(calls).toContain('jamf.find {"userEmail":"me.mail@contoso.com"}');
    expect(calls.filter((c) => c.startsWith('jamf.find'))).toHaveLength(2);
  });

  it("never reports another person's Entra device that merely shares a Mac's name", async () => {
    // My Mac is not registered; someone else's registered Mac has the same name.
    const { deps } = fakeDeps({
      computers: [
        jamfComputer({ id: '7', name: 'MacBook Pro', email: 'me@contoso.com', groups: [APPLICABLE] }),
      ],
      devices: [
        entraDevice({
          id: 'theirs',
          displayName: 'MacBook Pro',
          ownerUpns: ['them@contoso.com'],
          ownerIds: ['them'],
        }),
        entraDevice({ id: 'win', displayName: 'My PC', operatingSystem: 'Windows' }),
        entraDevice({ id: 'old', displayName: 'Old Mac', operatingSystem: 'MacMDM' }),
      ],
      myDeviceIds: ['win', 'old'],
    });
    const found = await lookup(deps);
    expect(found.macs).toHaveLength(1);
    expect(found.macs[0]!.record.entra).toBeNull();
    expect(found.macs[0]!.diagnosis?.verdict).toBe('not_registered');
    // Only my own devices, and only Macs among them.
    expect(found.entraOnly.map((d) => d.id)).toEqual(['old']);
  });

  it('without a Mac, asks Graph whether the caller is in the connector group', async () => {
    const { deps, calls } = fakeDeps({ members: [] });
    const found = await lookup(deps);
    expect(found.macs).toEqual([]);
    expect(found.inConnectorGroup).toBe(false);
    expect(calls).toContain('graph.checkMemberGroups me');
  });

  it('refuses without an identity or an Entra user, and passes on a Graph outage', async () => {
    await expect(lookup(fakeDeps({}).deps, null)).rejects.toBeInstanceOf(UserInputError);
    await expect(lookup(fakeDeps({ knownUser: false }).deps)).rejects.toThrow(/could not find your account/);
    await expect(lookup(fakeDeps({ graphDown: true }).deps)).rejects.toBeInstanceOf(UpstreamError);
  });
});
