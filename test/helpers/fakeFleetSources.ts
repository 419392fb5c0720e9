import type { CompliancePartner } from '../../src/compliance/compliancePartner';
import type { EntraDevice, EntraUser, JamfComplianceInfo, JamfComputer } from '../../src/compliance/types';
import { UpstreamError } from '../../src/errors';
import type { FleetSyncGraph } from '../../src/fleet/fleetSyncTypes';
import type { EntraGroup } from '../../src/upstream/graph/graphTypes';
import type {
  GraphDeltaPage,
  GraphDeltaStart,
  GraphDevicePage,
  GroupMembersDelta,
} from '../../src/upstream/graph/graphDeltaTypes';
import type { JamfFleetReads } from '../../src/upstream/jamf/jamfFleetReads';

/**
 * Fakes of the Graph and Jamf page reads the fleet sync uses, with just enough of the real
 * behaviour (delta rounds and links, `@removed`, paging, RSQL on reportDate and id) to test the
 * sync without the simulators. Every call is recorded in `calls`; `inject` makes chosen calls
 * fail (throttles, expired tokens, outages).
 */

type Call = { method: string; arg: unknown };
interface Injection {
  method: string;
  when: (arg: unknown) => boolean;
  error: () => Error;
  times: number;
}

class Recorder {
  calls: Call[] = [];
  private injections: Injection[] = [];

  /** The next `times` calls of `method` matching `when` reject with `error()`. */
  inject(
    method: string,
    error: () => Error,
    opts: { when?: (arg: unknown) => boolean; times?: number } = {},
  ): void {
    this.injections.push({ method, error, when: opts.when ?? (() => true), times: opts.times ?? 1 });
  }

  protected record(method: string, arg: unknown): void {
    this.calls.push({ method, arg });
    const hit = this.injections.find((i) => i.method === method && i.times > 0 && i.when(arg));
    if (hit) {
      hit.times--;
      throw hit.error();
    }
  }

  callsOf(method: string): unknown[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.arg);
  }

  resetCalls(): void {
    this.calls = [];
  }
}

export const throttled = (service: 'graph' | 'jamf', retryAfterMs: number): UpstreamError =>
  new UpstreamError(service, 'throttled', 'too many requests', { status: 429, retryAfterMs });
export const gone = (): UpstreamError =>
  new UpstreamError('graph', 'gone', 'the delta token expired', { status: 410 });

/** Where a delta link continues: a round's next page, or the changes after `since`. */
interface LinkState {
  initial: boolean;
  since: number;
  /** The change sequence the round reads up to (fixed at its first page). */
  at: number;
  offset: number;
  groupIds?: string[];
  delta: boolean;
}

/** Opaque links (`kind:n`) to their state; `expireDeltaLinks` makes every deltaLink answer `gone`. */
class Links {
  private readonly states = new Map<string, LinkState>();
  private n = 0;
  expireDeltaLinks = false;
  constructor(private readonly kind: string) {}

  issue(state: LinkState): string {
    const link = `https://graph.test/${this.kind}/delta?token=${++this.n}`;
    this.states.set(link, state);
    return link;
  }

  read(link: string): LinkState {
    const state = this.states.get(link);
    if (!state || (state.delta && this.expireDeltaLinks)) throw gone();
    return state;
  }
}

/** Pages of a delta read over `ids` (already resolved for the round), with next and delta links. */
function pageOf<T>(
  links: Links,
  state: LinkState,
  keys: string[],
  pageSize: number,
  get: (key: string) => T | undefined,
): GraphDeltaPage<T> {
  const chunk = keys.slice(state.offset, state.offset + pageSize);
  const more = state.offset + pageSize < keys.length;
  const items: T[] = [];
  const removed: string[] = [];
  for (const k of chunk) {
    const v = get(k);
    if (v === undefined) removed.push(k);
    else items.push(structuredClone(v));
  }
  return {
    items,
    removed,
    nextLink: more ? links.issue({ ...state, offset: state.offset + pageSize, delta: false }) : null,
    deltaLink: more
      ? null
      : links.issue({
          initial: false,
          since: state.at,
          at: -1,
          offset: 0,
          groupIds: state.groupIds,
          delta: true,
        }),
  };
}

/** A collection with a change log, for delta rounds. */
class DeltaCollection<T extends { id: string }> {
  items = new Map<string, T>();
  private log: { seq: number; id: string }[] = [];
  seq = 0;
  readonly links: Links;
  constructor(kind: string) {
    this.links = new Links(kind);
  }

  set(item: T): void {
    this.items.set(item.id, structuredClone(item));
    this.log.push({ seq: ++this.seq, id: item.id });
  }

  delete(id: string): void {
    this.items.delete(id);
    this.log.push({ seq: ++this.seq, id });
  }

  page(start: GraphDeltaStart, pageSize: number): GraphDeltaPage<T> {
    let state: LinkState;
    if ('round' in start) {
      state = { initial: start.round === 'initial', since: this.seq, at: this.seq, offset: 0, delta: false };
      if (start.round === 'latest') return pageOf<T>(this.links, state, [], pageSize, () => undefined);
    } else {
      state = this.links.read(start.link);
      if (state.at < 0) state = { ...state, at: this.seq };
    }
    const keys = state.initial
      ? [...this.items.keys()]
      : [...new Set(this.log.filter((c) => c.seq > state.since && c.seq <= state.at).map((c) => c.id))];
    return pageOf(this.links, state, keys, pageSize, (id) => this.items.get(id));
  }
}

export interface FakeGroupMember {
  id: string;
  type: 'user' | 'group' | 'other';
}

/** Entra as the fleet sync reads it. Devices carry their owners; delta pages drop them (as Graph's do). */
export class FakeGraphFleet extends Recorder implements FleetSyncGraph {
  devices = new DeltaCollection<EntraDevice>('devices');
  users = new DeltaCollection<EntraUser>('users');
  /** groupId → direct members; `memberLog` feeds the groups delta. */
  groups = new Map<string, FakeGroupMember[]>();
  private memberLog: { seq: number; groupId: string; member: FakeGroupMember; removed: boolean }[] = [];
  private groupSeq = 0;
  partners: CompliancePartner[] = [];
  readonly groupLinks = new Links('groups');
  pageSize = 2;

  /** Every deltaLink handed out so far (and later) answers `gone`, as an expired token does. */
  expireDeltaLinks(): void {
    for (const l of [this.devices.links, this.users.links, this.groupLinks]) l.expireDeltaLinks = true;
  }

  addGroup(groupId: string, members: FakeGroupMember[] = []): void {
    this.groups.set(groupId, []);
    for (const m of members) this.addMember(groupId, m);
  }

  addMember(groupId: string, member: FakeGroupMember): void {
    this.groups.get(groupId)?.push(member);
    this.memberLog.push({ seq: ++this.groupSeq, groupId, member, removed: false });
  }

  removeMember(groupId: string, memberId: string): void {
    const list = this.groups.get(groupId) ?? [];
    const m = list.find((x) => x.id === memberId);
    if (!m) return;
    this.groups.set(
      groupId,
      list.filter((x) => x.id !== memberId),
    );
    this.memberLog.push({ seq: ++this.groupSeq, groupId, member: m, removed: true });
  }

  /** The connector's partner targeting these groups for macOS. */
  setConnector(groupIds: string[]): void {
    this.partners = [
      {
        id: 'partner-1',
        displayName: 'Jamf Device Compliance',
        partnerState: 'enabled',
        lastHeartbeatDateTime: null,
        macOsOnboarded: true,
        iosOnboarded: false,
        androidOnboarded: false,
        assignments: { macOs: groupIds.map((groupId) => ({ kind: 'group', groupId })), ios: [], android: [] },
      },
    ];
  }

  async deviceDeltaPage(start: GraphDeltaStart): Promise<GraphDeltaPage<EntraDevice>> {
    this.record('deviceDeltaPage', start);
    const page = this.devices.page(start, this.pageSize);
    // Delta cannot expand owners.
    return { ...page, items: page.items.map(({ ownerIds: _i, ownerUpns: _u, ...d }) => d) };
  }

  async userDeltaPage(start: GraphDeltaStart): Promise<GraphDeltaPage<EntraUser>> {
    this.record('userDeltaPage', start);
    return this.users.page(start, this.pageSize);
  }

  /** One group a page. */
  async groupMembersDeltaPage(
    start: { round: 'initial'; groupIds: string[] } | { link: string },
  ): Promise<GraphDeltaPage<GroupMembersDelta>> {
    this.record('groupMembersDeltaPage', start);
    let state: LinkState =
      'round' in start
        ? { initial: true, since: 0, at: this.groupSeq, offset: 0, groupIds: start.groupIds, delta: false }
        : this.groupLinks.read(start.link);
    if (state.at < 0) state = { ...state, at: this.groupSeq };
    const { since, at } = state;
    const groupIds = state.groupIds ?? [];
    const deltas = new Map<string, GroupMembersDelta>();
    for (const g of groupIds) {
      if (state.initial) {
        deltas.set(g, {
          groupId: g,
          added: [...(this.groups.get(g) ?? [])],
          removed: [],
          groupRemoved: false,
        });
        continue;
      }
      const changes = this.memberLog.filter((c) => c.groupId === g && c.seq > since && c.seq <= at);
      if (changes.length > 0)
        deltas.set(g, {
          groupId: g,
          added: changes.filter((c) => !c.removed).map((c) => c.member),
          removed: changes.filter((c) => c.removed).map((c) => c.member.id),
          groupRemoved: false,
        });
    }
    return pageOf(this.groupLinks, state, [...deltas.keys()], 1, (g) => deltas.get(g));
  }

  async macDevicesWithOwnersPage(link: string | null): Promise<GraphDevicePage> {
    this.record('macDevicesWithOwnersPage', link);
    const macs = [...this.devices.items.values()].filter((d) =>
      ['macOS', 'MacMDM'].includes(d.operatingSystem ?? ''),
    );
    const offset = link === null ? 0 : Number(link.split('#')[1]);
    const more = offset + this.pageSize < macs.length;
    return {
      items: macs.slice(offset, offset + this.pageSize).map((d) => structuredClone(d)),
      nextLink: more ? `macs#${offset + this.pageSize}` : null,
    };
  }

  async getDeviceOwners(ids: string[]): Promise<Map<string, { ids: string[]; upns: string[] }>> {
    this.record('getDeviceOwners', ids);
    return new Map(
      ids.flatMap((id) => {
        const d = this.devices.items.get(id);
        return d ? [[id, { ids: d.ownerIds ?? [], upns: d.ownerUpns ?? [] }]] : [];
      }),
    );
  }

  async listCompliancePartners(): Promise<CompliancePartner[]> {
    this.record('listCompliancePartners', null);
    return structuredClone(this.partners);
  }

  async findGroups(nameOrId: string): Promise<EntraGroup[]> {
    this.record('findGroups', nameOrId);
    return this.groups.has(nameOrId)
      ? [
          {
            id: nameOrId,
            displayName: `Group ${nameOrId}`,
            description: null,
            mailNickname: null,
            securityEnabled: true,
            mailEnabled: false,
            groupTypes: [],
            membershipRule: null,
            membershipRuleProcessingState: null,
          },
        ]
      : [];
  }
}

/** Jamf Pro as the fleet sync reads it: pages sorted by id, RSQL on reportDate (>=) and id (=in=). */
export class FakeJamfFleet extends Recorder implements JamfFleetReads {
  computers = new Map<string, JamfComputer>();
  compliance = new Map<string, JamfComplianceInfo>();

  set(c: JamfComputer): void {
    this.computers.set(c.id, c);
  }

  async getComputersPage(opts: { page: number; pageSize: number; filter?: string; signal?: AbortSignal }) {
    this.record('getComputersPage', { page: opts.page, pageSize: opts.pageSize, filter: opts.filter });
    opts.signal?.throwIfAborted();
    let all = [...this.computers.values()].sort((a, b) => Number(a.id) - Number(b.id));
    const since = /^general\.reportDate>="(.+)"$/.exec(opts.filter ?? '');
    const idIn = /^id=in=\((.*)\)$/.exec(opts.filter ?? '');
    if (since)
      all = all.filter(
        (c) => c.reportDate !== null && Date.parse(c.reportDate) >= Date.parse(since[1] as string),
      );
    else if (idIn) {
      const ids = new Set((idIn[1] as string).split(',').map((v) => String(JSON.parse(v))));
      all = all.filter((c) => ids.has(c.id));
    } else if (opts.filter) throw new Error(`the fake does not read this filter: ${opts.filter}`);
    return {
      totalCount: all.length,
      computers: all
        .slice(opts.page * opts.pageSize, (opts.page + 1) * opts.pageSize)
        .map((c) => structuredClone(c)),
    };
  }

  async listComputerIds(): Promise<string[]> {
    this.record('listComputerIds', null);
    return [...this.computers.keys()];
  }

  async getComplianceInfo(computerId: string): Promise<JamfComplianceInfo | null> {
    this.record('getComplianceInfo', computerId);
    return structuredClone(this.compliance.get(computerId) ?? null);
  }
}
