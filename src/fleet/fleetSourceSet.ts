import type {
  FleetSourceBodies,
  FleetSourceItem,
  FleetSourceKey,
  FleetSourceKind,
} from '../compliance/fleetSnapshotTypes';
import type { FleetSnapshotStore } from '../store/ports/fleetSnapshotStore';
import { FleetSourceIndex } from './fleetSourceIndex';
import { membershipKey } from './readGroupMemberships';
import { sameJson } from './sameJson';
import { yieldToLoop } from './yieldToLoop';

const KINDS: readonly FleetSourceKind[] = ['computer', 'device', 'user', 'membership', 'compliance'];

/** An item changed since the last `settle`: its body as published (`before`) and now (`after`); undefined = none. */
export type FleetSourceChange = {
  [K in FleetSourceKind]: {
    kind: K;
    id: string;
    before: FleetSourceBodies[K] | undefined;
    after: FleetSourceBodies[K] | undefined;
  };
}[FleetSourceKind];

/**
 * The published sources in memory, with the changes an incremental sync made to them: what
 * `applyFleetChanges` writes back. Upserting an identical body records nothing, so re-reading
 * an unchanged Mac in Jamf's overlap window costs no write.
 */
export class FleetSourceSet {
  private readonly maps = new Map<FleetSourceKind, Map<string, unknown>>(KINDS.map((k) => [k, new Map()]));
  private readonly upserts = new Map<string, FleetSourceItem>();
  private readonly removes = new Map<string, FleetSourceKey>();
  /** Each changed item's body as last published (first change since `settle` records it). */
  private readonly befores = new Map<string, { kind: FleetSourceKind; id: string; before: unknown }>();
  /** Built on first use, then kept right by every upsert and remove. */
  private idx: FleetSourceIndex | null = null;

  static async load(store: Pick<FleetSnapshotStore, 'readFleetSources'>): Promise<FleetSourceSet> {
    const set = new FleetSourceSet();
    const all = await Promise.all(KINDS.map((k) => store.readFleetSources(k)));
    for (const items of all) for (const item of items) set.map(item.kind).set(item.id, item.body);
    return set;
  }

  /** The sources a full build just published, from its own arrays (no read back from the store). */
  static of(bodies: {
    computers: readonly FleetSourceBodies['computer'][];
    devices: readonly FleetSourceBodies['device'][];
    users: readonly FleetSourceBodies['user'][];
    memberships: readonly FleetSourceBodies['membership'][];
    compliance: readonly FleetSourceBodies['compliance'][];
  }): FleetSourceSet {
    const set = new FleetSourceSet();
    for (const c of bodies.computers) set.map('computer').set(c.id, c);
    for (const d of bodies.devices) set.map('device').set(d.id, d);
    for (const u of bodies.users) set.map('user').set(u.id, u);
    for (const m of bodies.memberships) set.map('membership').set(membershipKey(m), m);
    for (const i of bodies.compliance) set.map('compliance').set(i.computerId, i);
    return set;
  }

  private map<K extends FleetSourceKind>(kind: K): Map<string, FleetSourceBodies[K]> {
    return this.maps.get(kind) as Map<string, FleetSourceBodies[K]>;
  }

  /** The reverse indexes over the current sources (built at the first call, then maintained). */
  index(): FleetSourceIndex {
    if (!this.idx) {
      const idx = new FleetSourceIndex();
      for (const kind of KINDS) for (const [id, body] of this.map(kind)) idx.update(kind, id, body, true);
      this.idx = idx;
    }
    return this.idx;
  }

  /**
   * Builds the indexes in slices, yielding to the event loop between them: at 50,000 Macs the
   * build takes ~0.4 s, which would stall every request in one go. Nothing may change the set
   * meanwhile (the sync runs one thing at a time).
   */
  async prepareIndex(sliceSize = 5_000): Promise<void> {
    if (this.idx) return;
    const idx = new FleetSourceIndex();
    let n = 0;
    for (const kind of KINDS)
      for (const [id, body] of this.map(kind)) {
        idx.update(kind, id, body, true);
        if (++n % sliceSize === 0) await yieldToLoop();
      }
    this.idx ??= idx;
  }

  /** The items as stored, in the order the store (or the build) handed them in — the join's input order. */
  entries<K extends FleetSourceKind>(kind: K): IterableIterator<[string, FleetSourceBodies[K]]> {
    return this.map(kind).entries();
  }

  get<K extends FleetSourceKind>(kind: K, id: string): FleetSourceBodies[K] | undefined {
    return this.map(kind).get(id);
  }

  values<K extends FleetSourceKind>(kind: K): IterableIterator<FleetSourceBodies[K]> {
    return this.map(kind).values();
  }

  ids(kind: FleetSourceKind): IterableIterator<string> {
    return this.map(kind).keys();
  }

  count(kind: FleetSourceKind): number {
    return this.map(kind).size;
  }

  /** Sets an item; true when it is new or its body changed. */
  upsert<K extends FleetSourceKind>(kind: K, id: string, body: FleetSourceBodies[K]): boolean {
    const map = this.map(kind);
    const before = map.get(id);
    if (before !== undefined && sameJson(before, body)) return false;
    map.set(id, body);
    const key = `${kind}\u0000${id}`;
    this.noteBefore(key, kind, id, before);
    if (this.idx) {
      if (before !== undefined) this.idx.update(kind, id, before, false);
      this.idx.update(kind, id, body, true);
    }
    this.removes.delete(key);
    this.upserts.set(key, { kind, id, body } as FleetSourceItem);
    return true;
  }

  /** Drops an item; true when there was one. */
  remove(kind: FleetSourceKind, id: string): boolean {
    const map = this.map(kind);
    const before = map.get(id);
    if (before === undefined || !map.delete(id)) return false;
    const key = `${kind}\u0000${id}`;
    this.noteBefore(key, kind, id, before);
    this.idx?.update(kind, id, before, false);
    this.upserts.delete(key);
    this.removes.set(key, { kind, id });
    return true;
  }

  /** Forgets the recorded changes once they are published: the set is then the stored sources again. */
  settle(): void {
    this.upserts.clear();
    this.removes.clear();
    this.befores.clear();
  }

  private noteBefore(key: string, kind: FleetSourceKind, id: string, before: unknown): void {
    if (!this.befores.has(key)) this.befores.set(key, { kind, id, before });
  }

  /** Every item changed since `load` (or the last `settle`), with its published and current body. */
  pending(): FleetSourceChange[] {
    return [...this.befores.values()].map(
      ({ kind, id, before }) => ({ kind, id, before, after: this.map(kind).get(id) }) as FleetSourceChange,
    );
  }

  /** What changed since `load` (or the last `settle`). */
  changes(): { upsertSources: FleetSourceItem[]; removeSources: FleetSourceKey[] } {
    return { upsertSources: [...this.upserts.values()], removeSources: [...this.removes.values()] };
  }
}
