import type { MacRecord } from '../compliance/types';

/** What the memo keys on: a snapshot's records and version, and its connector group (for fix texts). */
export interface MemoSnapshot {
  records: readonly MacRecord[];
  version: number;
  connector: { groupIds: readonly string[]; groupNames: Readonly<Record<string, string>> };
}

/** Per-record work for `compute`: `make` runs once per record object this hour (and group name). */
export type PerRecord<V> = (record: MacRecord, make: () => V) => V;

const HOUR_MS = 3_600_000;

/**
 * Keeps `compute`'s result per snapshot version and clock hour, and its per-record values per
 * record object for the hour: a diagnosis depends on `now` (report ages, the sync delay), so
 * within an hour a verdict may be up to an hour late, which the criteria (days, hours) tolerate;
 * a new version in the same hour redoes only the records it changed (the reader keeps an
 * unchanged Mac's record object). A new hour or connector group name starts afresh.
 * `connectorGroupName` is the diagnoses' context.
 */
export function snapshotHourMemo<F extends MemoSnapshot, T, V>(
  compute: (fleet: F, now: Date, perRecord: PerRecord<V>, context: { connectorGroupName?: string }) => T,
): (fleet: F, now: Date) => T {
  let cached: { records: readonly MacRecord[]; version: number; hour: number; result: T } | null = null;
  let values: { hour: number; groupName: string | undefined; byRecord: WeakMap<MacRecord, V> } | null = null;
  return (fleet, now) => {
    const hour = Math.floor(now.getTime() / HOUR_MS);
    if (
      cached &&
      cached.records === fleet.records &&
      cached.version === fleet.version &&
      cached.hour === hour
    )
      return cached.result;
    const id = fleet.connector.groupIds[0];
    const groupName = id ? fleet.connector.groupNames[id] : undefined;
    if (!values || values.hour !== hour || values.groupName !== groupName)
      values = { hour, groupName, byRecord: new WeakMap() };
    const byRecord = values.byRecord;
    const perRecord: PerRecord<V> = (record, make) => {
      if (byRecord.has(record)) return byRecord.get(record) as V;
      const value = make();
      byRecord.set(record, value);
      return value;
    };
    const result = compute(fleet, now, perRecord, groupName ? { connectorGroupName: groupName } : {});
    cached = { records: fleet.records, version: fleet.version, hour, result };
    return result;
  };
}
