import type { MacRecord } from '../../src/compliance/types';
import { snapshotHourMemo, type MemoSnapshot } from '../../src/lookup/snapshotHourMemo';

/** The memo the fleet's diagnoses and the batch candidates share (per snapshot version and hour). */
describe('snapshotHourMemo', () => {
  const record = (id: string) => ({ jamf: { id } }) as unknown as MacRecord;
  const snapshot = (records: MacRecord[], version: number, group = 'Macs'): MemoSnapshot => ({
    records,
    version,
    connector: { groupIds: ['g'], groupNames: { g: group } },
  });
  const t = (h: number, m = 0) => new Date(Date.UTC(2026, 11, 7, h, m));

  function rig() {
    const made: string[] = [];
    const contexts: unknown[] = [];
    const memo = snapshotHourMemo<MemoSnapshot, string[], string>((fleet, now, perRecord, context) => {
      contexts.push(context);
      return fleet.records.map((r) =>
        perRecord(r, () => {
          made.push(r.jamf.id);
          return `${r.jamf.id}@${now.getUTCHours()}`;
        }),
      );
    });
    return { memo, made, contexts };
  }

  it('answers a version again within the hour without computing; a new version redoes only changed records', () => {
    const { memo, made, contexts } = rig();
    const [a, b] = [record('a'), record('b')];
    const first = memo(snapshot([a, b], 1), t(9, 5));
    expect(memo(snapshot([a, b], 1), t(9, 55))).toEqual(first);
    expect(made).toEqual(['a', 'b']);
    const c = record('c');
    expect(memo(snapshot([a, c], 2), t(9, 56))).toEqual(['a@9', 'c@9']);
    expect(made).toEqual(['a', 'b', 'c']);
    expect(contexts[0]).toEqual({ connectorGroupName: 'Macs' });
  });

  it('starts afresh in a new hour or with another connector group name', () => {
    const { memo, made } = rig();
    const a = record('a');
    memo(snapshot([a], 1), t(9));
    expect(memo(snapshot([a], 1), t(10))).toEqual(['a@10']);
    memo(snapshot([a], 2, 'Other'), t(10, 1));
    expect(made).toEqual(['a', 'a', 'a']);
  });
});
