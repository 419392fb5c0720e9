import fc from 'fast-check';
import { joinFleet } from '../../src/compliance/joinFleet';
import { needsComplianceLookup } from '../../src/compliance/needsComplianceLookup';
import type { EntraDevice, JamfComputer } from '../../src/compliance/types';
import { entraDevice, jamfComputer } from './complianceFixtures';

const mac = (id: string, over: Partial<JamfComputer> = {}): JamfComputer =>
  jamfComputer({ id, name: `Mac ${id}`, username: `user${id}`, email: `user${id}@contoso.com`, ...over });
const device = (id: string, over: Partial<EntraDevice> = {}): EntraDevice =>
  entraDevice({ id: `obj-${id}`, deviceId: `dev-${id}`, displayName: `Mac ${id}`, ownerUpns: [], ...over });

describe('needsComplianceLookup', () => {
  it('an empty fleet needs nothing', () => {
    expect(needsComplianceLookup([], [])).toEqual([]);
  });

  it('a Mac no Entra device is named after needs no lookup (it is simply unregistered)', () => {
    expect(needsComplianceLookup([mac('1')], [device('a', { displayName: 'Other' })])).toEqual([]);
  });

  it('a Mac whose user owns exactly one same-name device needs no lookup', () => {
    const devices = [device('a', { displayName: 'Mac 1', ownerUpns: ['User1@contoso.com'] })];
    expect(needsComplianceLookup([mac('1')], devices)).toEqual([]);
    expect(needsComplianceLookup([mac('1', { email: null, username: 'user1' })], devices)).toEqual([]);
  });

  it('a same-name device with unknown owners needs a lookup (it would be a weak join)', () => {
    const d = device('a', { displayName: 'Mac 1' });
    delete d.ownerUpns;
    expect(needsComplianceLookup([mac('1')], [d])).toEqual(['1']);
  });

  it('a Mac whose every same-name device is owned by somebody else needs no lookup (the join cannot take them)', () => {
    const devices = [
      device('a', { displayName: 'MacBook Pro', ownerUpns: ['someone@contoso.com'] }),
      device('b', { displayName: 'MacBook Pro', ownerIds: ['u-9'], ownerUpns: [] }),
    ];
    expect(needsComplianceLookup([mac('1', { name: 'MacBook Pro' })], devices)).toEqual([]);
    // One Mac at a time (`check device`), Jamf may hold a stale user: worth the one call.
    expect(
      needsComplianceLookup([mac('1', { name: 'MacBook Pro' })], devices, { lookUpOwnedByOthers: true }),
    ).toEqual(['1']);
  });

  it('but one same-name device with unknown or no owners among them still needs a lookup', () => {
    const other = device('a', { displayName: 'MacBook Pro', ownerUpns: ['someone@contoso.com'] });
    const unknown = device('b', { displayName: 'MacBook Pro' });
    delete unknown.ownerUpns;
    const ownerless = device('c', { displayName: 'MacBook Pro', ownerUpns: [] });
    const m = mac('1', { name: 'MacBook Pro' });
    expect(needsComplianceLookup([m], [other, unknown])).toEqual(['1']);
    expect(needsComplianceLookup([m], [other, ownerless])).toEqual(['1']);
  });

  it('a Mac without a user in Jamf and a same-name device needs a lookup', () => {
    const devices = [device('a', { displayName: 'Mac 1', ownerUpns: ['user1@contoso.com'] })];
    expect(needsComplianceLookup([mac('1', { email: null, username: null })], devices)).toEqual(['1']);
  });

  it('several same-name devices of the same user (re-registrations) need a lookup', () => {
    const owned = { displayName: 'Mac 1', ownerUpns: ['user1@contoso.com'] };
    expect(needsComplianceLookup([mac('1')], [device('a', owned), device('b', owned)])).toEqual(['1']);
  });

  it('two Macs of one user with the same name and one device: both need a lookup', () => {
    const computers = [
      mac('1', { name: 'MacBook Pro' }),
      mac('2', { name: 'MacBook Pro', email: 'user1@contoso.com' }),
    ];
    const devices = [device('a', { displayName: 'MacBook Pro', ownerUpns: ['user1@contoso.com'] })];
    expect(needsComplianceLookup(computers, devices)).toEqual(['1', '2']);
  });

  it('same-name Macs of different users, each owning its device, need nothing', () => {
    const computers = [mac('1', { name: 'MacBook Pro' }), mac('2', { name: 'MacBook Pro' })];
    const devices = [
      device('a', { displayName: 'MacBook Pro', ownerUpns: ['user1@contoso.com'] }),
      device('b', { displayName: 'MacBook Pro', ownerUpns: ['user2@contoso.com'] }),
    ];
    expect(needsComplianceLookup(computers, devices)).toEqual([]);
  });

  it('compares names the way the join does (apostrophes, Unicode, case)', () => {
    const devices = [device('a', { displayName: "zoe\u0308's macbook pro" })];
    expect(needsComplianceLookup([mac('1', { name: 'Zo\u00eb\u2019s MacBook Pro' })], devices)).toEqual([
      '1',
    ]);
  });

  it('every Mac it leaves out is joined by name and owner, or has no same-name device at all', () => {
    const names = fc.constantFrom('MacBook Pro', 'iMac', 'Alex’s Mac', "alex's mac");
    const owners = fc.constantFrom('user1@contoso.com', 'user2@contoso.com', 'user3@contoso.com');
    const fleet = fc.record({
      computers: fc.array(fc.record({ name: names, email: fc.option(owners, { nil: null }) }), {
        maxLength: 8,
      }),
      devices: fc.array(
        fc.record({
          displayName: names,
          ownerUpns: fc.option(fc.array(owners, { maxLength: 2 }), { nil: undefined }),
        }),
        { maxLength: 8 },
      ),
    });
    fc.assert(
      fc.property(fleet, ({ computers, devices }) => {
        const cs = computers.map((c, i) => mac(String(i), { ...c, username: null }));
        const ds = devices.map((d, i) => device(String(i), d));
        const lookup = new Set(needsComplianceLookup(cs, ds));
        for (const r of joinFleet({ computers: cs, devices: ds, users: [] })) {
          if (lookup.has(r.jamf.id)) continue;
          expect(['name-and-owner', 'none']).toContain(r.joinedBy);
        }
      }),
      { numRuns: 500 },
    );
  });
});
