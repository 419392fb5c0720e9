import { deviceNameKey } from '../compliance/deviceNameKey';
import type { JamfComputer } from '../compliance/types';
import type { Logger } from '../log';
import type { JamfClient } from '../upstream/jamf/jamfClient';

/** What an index look-up found, and how old Jamf's answer is. */
export interface IndexedComputers {
  computers: JamfComputer[];
  /** When the index was loaded from Jamf Pro. */
  asOf: Date;
}

/** What the index is asked: the shapes `check device` classifies, by Jamf identity. */
export type IndexQuery =
  | { by: 'serial-or-name'; value: string }
  | { by: 'email'; value: string }
  | { by: 'names-or-users'; names: string[]; users: string[] };

export interface InventoryIndexDeps {
  jamf: Pick<JamfClient, 'listComputers'>;
  /**
   * Where the computers come from instead of Jamf, when given: the fleet snapshot's (its sync
   * keeps them fresh; loading the fleet from Jamf again would cost a request a page and a second
   * copy of 50,000 Macs in memory). Null (no snapshot yet, or a sync has them): the index keeps
   * what it holds, and `check device` searches Jamf live while it has nothing. `complete` false:
   * only some Macs (the applicable ones) — found ones are used, but `all()` answers null.
   */
  source?: () => Promise<{ computers: readonly JamfComputer[]; asOf: Date; complete: boolean } | null>;
  /** Older than this, the index is not used (Jamf is asked live instead). */
  maxAgeMs: number;
  now?: () => Date;
  logger?: Logger;
}

interface Tables {
  asOf: Date;
  /** Every Mac Jamf has (false: only some, e.g. the fleet snapshot's applicable Macs). */
  complete: boolean;
  size: number;
  all: readonly JamfComputer[];
  bySerial: Map<string, JamfComputer[]>;
  byName: Map<string, JamfComputer[]>;
  byUser: Map<string, JamfComputer[]>;
}

function add(map: Map<string, JamfComputer[]>, key: string | null | undefined, c: JamfComputer): void {
  if (!key) return;
  const at = map.get(key);
  if (at) at.push(c);
  else map.set(key, [c]);
}

/**
 * Jamf Pro's computer inventory kept in memory and refreshed on a schedule, so `check device`
 * finds a Mac (serial, name, user) without a Jamf search per command: Jamf allows about five
 * concurrent API connections, and a search is the slowest call the command makes. Jamf's own
 * inventory is only as fresh as each Mac's last report (usually daily), so a copy a few minutes
 * old loses little; the device card says how old it is, and Refresh always asks Jamf live.
 *
 * A miss is not an answer — a Mac enrolled since the last load — so callers search Jamf live
 * when the index finds nothing, or when it is older than `maxAgeMs` or not loaded yet.
 */
export class InventoryIndex {
  private tables: Tables | null = null;
  private loading: Promise<void> | null = null;

  constructor(private readonly deps: InventoryIndexDeps) {}

  private now(): Date {
    return (this.deps.now ?? (() => new Date()))();
  }

  /** Loads every computer (from `source`, else Jamf Pro) and swaps the tables in; concurrent calls share one load. */
  refresh(): Promise<void> {
    this.loading ??= (async () => {
      const started = this.now();
      try {
        if (this.deps.source) {
          const got = await this.deps.source();
          if (got) this.replace(got.computers, got.asOf, got.complete);
          return;
        }
        const computers = await this.deps.jamf.listComputers();
        this.replace(computers, started);
        this.deps.logger?.info(
          { computers: computers.length, ms: this.now().getTime() - started.getTime() },
          'inventory index loaded',
        );
      } finally {
        this.loading = null;
      }
    })();
    return this.loading;
  }

  /** Replaces the tables with computers Jamf returned at `asOf` (e.g. from a whole-fleet load). */
  replace(computers: readonly JamfComputer[], asOf: Date, complete = true): void {
    if (this.tables && this.tables.asOf > asOf) return; // a newer load already landed
    // Some Macs never replace all of them while those are fresh (a sync had the full set out).
    if (
      !complete &&
      this.tables?.complete &&
      this.now().getTime() - this.tables.asOf.getTime() <= this.deps.maxAgeMs
    )
      return;
    const t: Tables = {
      asOf,
      complete,
      size: computers.length,
      all: computers,
      bySerial: new Map(),
      byName: new Map(),
      byUser: new Map(),
    };
    for (const c of computers) {
      add(t.bySerial, c.serialNumber?.toLowerCase(), c);
      add(t.byName, deviceNameKey(c.name), c);
      const email = c.email?.toLowerCase();
      const username = c.username?.toLowerCase();
      add(t.byUser, email, c);
      if (username && username !== email) add(t.byUser, username, c);
    }
    this.tables = t;
  }

  /** How many computers the index holds and when it was loaded; null before the first load. */
  status(): { computers: number; asOf: Date } | null {
    return this.tables ? { computers: this.tables.size, asOf: this.tables.asOf } : null;
  }

  /** Every computer, when the index holds them all and is fresh enough; null otherwise (ask Jamf live). */
  all(): IndexedComputers | null {
    const t = this.tables;
    if (!t || !t.complete || this.now().getTime() - t.asOf.getTime() > this.deps.maxAgeMs) return null;
    return { computers: [...t.all], asOf: t.asOf };
  }

  /**
   * The computers a query names, or null when the index cannot answer (not loaded, too old, or
   * nothing found — the caller then asks Jamf live).
   */
  find(query: IndexQuery): IndexedComputers | null {
    const t = this.tables;
    if (!t || this.now().getTime() - t.asOf.getTime() > this.deps.maxAgeMs) return null;
    const found = new Set<JamfComputer>();
    const take = (list: JamfComputer[] | undefined) => list?.forEach((c) => found.add(c));
    // Only some Macs held (the applicable ones): a serial names one Mac, so a hit is the answer;
    // a name or a user may also have Macs the index lacks — those ask Jamf live.
    if (!t.complete) {
      if (query.by !== 'serial-or-name') return null;
      take(t.bySerial.get(query.value.toLowerCase()));
      return found.size ? { computers: [...found], asOf: t.asOf } : null;
    }
    switch (query.by) {
      case 'serial-or-name':
        take(t.bySerial.get(query.value.toLowerCase()));
        take(t.byName.get(deviceNameKey(query.value)));
        break;
      case 'email':
        // Jamf's e-mail field only, as the live search (`userAndLocation.email==…`) does.
        take(
          t.byUser
            .get(query.value.toLowerCase())
            ?.filter((c) => c.email?.toLowerCase() === query.value.toLowerCase()),
        );
        break;
      case 'names-or-users':
        for (const n of query.names) take(t.byName.get(deviceNameKey(n)));
        for (const u of query.users)
          take(t.byUser.get(u.toLowerCase())?.filter((c) => c.email?.toLowerCase() === u.toLowerCase()));
        break;
    }
    return found.size ? { computers: [...found], asOf: t.asOf } : null;
  }
}
