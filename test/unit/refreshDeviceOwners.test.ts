import { ChangedDevices } from '../../src/fleet/changedDevices';
import { FleetSourceSet } from '../../src/fleet/fleetSourceSet';
import { refreshDeviceOwners } from '../../src/fleet/refreshDeviceOwners';
import { entraDevice, entraUser } from './complianceFixtures';

function sources() {
  const set = new FleetSourceSet();
  set.upsert('user', 'u1', entraUser({ id: 'u1', userPrincipalName: 'new@contoso.com' }));
  set.upsert('user', 'u3', entraUser({ id: 'u3', userPrincipalName: 'three@contoso.com' }));
  const owned = (id: string, ownerIds: string[], ownerUpns: string[]) =>
    set.upsert('device', id, entraDevice({ id, displayName: `Mac ${id}`, ownerIds, ownerUpns }));
  owned('d1', ['u1'], ['old@contoso.com']);
  owned('d2', ['u2', 'u3'], ['two@contoso.com', 'three@contoso.com']);
  owned('d3', ['u3'], ['three@contoso.com']);
  return set;
}

describe('refreshDeviceOwners', () => {
  it('gives a renamed owner its new UPN and drops a deleted one; other devices are untouched', () => {
    const set = sources();
    const names = new ChangedDevices();
    refreshDeviceOwners(set, { changed: new Set(['u1']), removed: new Set(['u2']) }, names);
    expect(set.get('device', 'd1')).toMatchObject({ ownerIds: ['u1'], ownerUpns: ['new@contoso.com'] });
    expect(set.get('device', 'd2')).toMatchObject({ ownerIds: ['u3'], ownerUpns: ['three@contoso.com'] });
    expect(set.get('device', 'd3')).toMatchObject({ ownerIds: ['u3'], ownerUpns: ['three@contoso.com'] });
    expect(names.size).toBe(2);
  });

  it('does nothing without user changes', () => {
    const set = sources();
    const before = set.changes().upsertSources.length;
    refreshDeviceOwners(set, { changed: new Set(), removed: new Set() }, new ChangedDevices());
    expect(set.changes().upsertSources).toHaveLength(before);
  });
});
