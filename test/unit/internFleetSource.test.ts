import { internComputer, internRecord, internSourceBody } from '../../src/compliance/internFleetSource';
import type { JamfComputer } from '../../src/compliance/types';
import { macRecord } from './complianceFixtures';

const parsed = (id: string): JamfComputer =>
  JSON.parse(
    JSON.stringify({
      ...macRecord().jamf,
      id,
      model: 'MacBook Pro (14-inch, M3, Nov 2023)',
      applications: ['Company Portal.app'],
    }),
  ) as JamfComputer;

describe('internFleetSource', () => {
  it('gives bodies parsed apart one shared copy of their repeated values, frozen', () => {
    const a = internComputer(parsed('1'));
    const b = internComputer(parsed('2'));
    expect(a.groups).toEqual(macRecord().jamf.groups);
    expect(a.groups[0]).toBe(b.groups[0]);
    expect(a.applications).toBe(b.applications);
    expect(Object.isFrozen(a.groups[0])).toBe(true);
    expect(() => (a.applications as string[]).push('x')).toThrow();
    expect(a.id).toBe('1');
    expect(b.id).toBe('2');
  });

  it('leaves the values alone: a body read back equals the one written', () => {
    const body = parsed('3');
    const before = JSON.stringify(body);
    expect(JSON.stringify(internSourceBody('computer', body))).toBe(before);
    const record = JSON.parse(JSON.stringify(macRecord())) as ReturnType<typeof macRecord>;
    expect(internRecord(record)).toEqual(macRecord());
    const m = { groupId: 'g', memberId: 'u', memberType: 'user' as const };
    expect(internSourceBody('membership', { ...m })).toEqual(m);
    expect(internSourceBody('user', { id: 'u' })).toEqual({ id: 'u' });
  });
});
