import { ChangedDevices } from '../../src/fleet/changedDevices';
import { FleetSourceSet } from '../../src/fleet/fleetSourceSet';
import { lookUpChangedCompliance } from '../../src/fleet/lookUpChangedCompliance';
import type { SyncRunContext } from '../../src/fleet/syncRunContext';
import type { EntraDevice } from '../../src/compliance/types';
import { APPLICABLE, entraDevice, entraUser, jamfComputer } from './complianceFixtures';

const NAME = 'MacBook Pro';

/** Alice and Eve each have two Macs of the generic name; Eve's one device makes hers ambiguous for good. */
function world() {
  const sources = new FleetSourceSet();
  const mac = (id: string, user: string) =>
    sources.upsert(
      'computer',
      id,
      jamfComputer({ id, name: NAME, username: user, email: `${user}@contoso.com` }),
    );
  mac('a1', 'alice');
  mac('a2', 'alice');
  mac('e1', 'eve');
  mac('e2', 'eve');
  for (const u of ['alice', 'eve'])
    sources.upsert(
      'user',
      u,
      entraUser({ id: u, userPrincipalName: `${u}@contoso.com`, mail: `${u}@contoso.com` }),
    );
  const eves = owned('d-eve', 'eve');
  sources.upsert('device', eves.id, eves);
  sources.upsert('compliance', 'e1', {
    computerId: 'e1',
    applicable: true,
    complianceState: 'COMPLIANT',
    entraDeviceIds: [eves.deviceId],
  });
  const asked: string[] = [];
  const ctx = {
    criteria: { applicableGroup: APPLICABLE.groupName },
    jamf: {
      getComplianceInfo: async (id: string) => {
        asked.push(id);
        return null;
      },
    },
    throttle: {
      sleep: async () => undefined,
      signal: new AbortController().signal,
      maxWaitMs: 0,
      log: console,
    },
  } as unknown as SyncRunContext;
  return { sources, ctx, asked };
}

const owned = (id: string, owner: string | null, over: Partial<EntraDevice> = {}): EntraDevice =>
  entraDevice({
    id,
    deviceId: `dev-${id}`,
    displayName: NAME,
    ownerIds: owner ? [owner] : [],
    ownerUpns: owner ? [`${owner}@contoso.com`] : [],
    ...over,
  });

describe('lookUpChangedCompliance', () => {
  it("a new device touches only its owner's Macs of that name, not every Mac sharing the name", async () => {
    const { sources, ctx, asked } = world();
    const added = owned('d-alice', 'alice');
    sources.upsert('device', added.id, added);
    const changed = new ChangedDevices();
    changed.note(undefined, added);
    await lookUpChangedCompliance(ctx, sources, new Set(), changed);
    // Eve's Macs need a look-up too (ambiguous), but nothing of hers changed.
    expect(asked.sort()).toEqual(['a1', 'a2']);
  });

  it('an ownerless new device touches every Mac of that name', async () => {
    const { sources, ctx, asked } = world();
    const added = owned('d-nobody', null);
    sources.upsert('device', added.id, added);
    const changed = new ChangedDevices();
    changed.note(undefined, added);
    await lookUpChangedCompliance(ctx, sources, new Set(), changed);
    expect(asked.sort()).toEqual(['a1', 'a2', 'e1', 'e2']);
  });

  it('a renamed device leaves a Mac that Jamf already gave info for alone', async () => {
    const { sources, ctx, asked } = world();
    const before = owned('d-eve2', 'eve', { displayName: 'Old name' });
    const after = { ...before, displayName: NAME };
    sources.upsert('device', after.id, after);
    const changed = new ChangedDevices();
    changed.note(before, after);
    await lookUpChangedCompliance(ctx, sources, new Set(), changed);
    expect(asked).toEqual(['e2']);
  });

  it('a Mac that changed itself is looked up whatever it holds', async () => {
    const { sources, ctx, asked } = world();
    await lookUpChangedCompliance(ctx, sources, new Set(['e1']), new ChangedDevices());
    expect(asked).toEqual(['e1']);
  });
});
