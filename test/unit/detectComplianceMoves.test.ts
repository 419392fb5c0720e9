import { detectComplianceMoves, membershipDrops } from '../../src/compliance/detectComplianceMoves';
import { nextThankYouCheck } from '../../src/compliance/thankYouBackoff';
import { APPLICABLE, COMPLIANCE, entraDevice, macRecord, NOW } from './complianceFixtures';

const GROUP = COMPLIANCE.groupName;
const outside = (id: string, compliant: boolean | null = false) =>
  macRecord({ jamf: { id, groups: [APPLICABLE] }, entra: entraDevice({ isCompliant: compliant }) });
const inside = (id: string, compliant: boolean | null = false) =>
  macRecord({
    jamf: { id, groups: [APPLICABLE, COMPLIANCE] },
    entra: entraDevice({ isCompliant: compliant }),
  });

describe('detectComplianceMoves', () => {
  it('sorts changes into entered, Entra caught up and left', () => {
    const moves = detectComplianceMoves(
      [
        { jamfId: '1', before: outside('1'), after: inside('1') },
        { jamfId: '2', before: inside('2', false), after: inside('2', true) },
        { jamfId: '3', before: inside('3'), after: outside('3') },
        { jamfId: '4', before: inside('4', true), after: inside('4', true) },
        { jamfId: '5', before: outside('5'), after: outside('5', true) },
      ],
      GROUP,
    );
    expect(moves.entered.map((c) => c.jamfId)).toEqual(['1']);
    expect(moves.entraCaughtUp.map((c) => c.jamfId)).toEqual(['2']);
    expect(moves.left.map((c) => c.jamfId)).toEqual(['3']);
  });

  it('matches the group by id or by name (any case), as the criteria may name it', () => {
    const change = [{ jamfId: '1', before: outside('1'), after: inside('1') }];
    expect(detectComplianceMoves(change, COMPLIANCE.groupId).entered).toHaveLength(1);
    expect(detectComplianceMoves(change, ` ${GROUP.toUpperCase()} `).entered).toHaveLength(1);
    expect(detectComplianceMoves(change, 'Other group').entered).toHaveLength(0);
  });

  it('a Mac new to the snapshot is not "entering" (a first build thanks nobody); a removed Mac is no drop', () => {
    const moves = detectComplianceMoves(
      [
        { jamfId: '1', before: null, after: inside('1', true) },
        { jamfId: '2', before: inside('2'), after: null },
      ],
      GROUP,
    );
    expect(moves).toEqual({ entered: [], entraCaughtUp: [], left: [] });
  });
});

describe('membershipDrops', () => {
  const event = (over: Partial<Parameters<typeof membershipDrops>[0]> = {}) => ({
    groupId: COMPLIANCE.groupId,
    groupName: COMPLIANCE.groupName,
    added: ['9'],
    removed: ['1', '2', '1'],
    at: NOW,
    ...over,
  });

  it('the removed computers of the Compliance group, each once, at the event time', () => {
    expect(membershipDrops(event(), GROUP)).toEqual([
      { jamfId: '1', name: null, at: NOW.toISOString() },
      { jamfId: '2', name: null, at: NOW.toISOString() },
    ]);
  });

  it('another group changes nothing', () => {
    expect(membershipDrops(event({ groupId: '99', groupName: 'Finance Macs' }), GROUP)).toEqual([]);
  });
});

describe('nextThankYouCheck', () => {
  const giveUp = new Date(NOW.getTime() + 24 * 3_600_000).toISOString();
  const minutesAfter = (iso: string) => (Date.parse(iso) - NOW.getTime()) / 60_000;

  it('backs off 2, 5, 10, 20, 40 minutes, then hourly', () => {
    expect([0, 1, 2, 3, 4, 5, 9].map((a) => minutesAfter(nextThankYouCheck(a, NOW, giveUp)))).toEqual([
      2, 5, 10, 20, 40, 60, 60,
    ]);
  });

  it('never past the end of the window', () => {
    const soon = new Date(NOW.getTime() + 3 * 60_000).toISOString();
    expect(nextThankYouCheck(4, NOW, soon)).toBe(soon);
  });
});
