import { classicPolicyRecord } from './classicPolicyRecord';
import { DEMO_DOMAIN, DEMO_PEOPLE, DEMO_TEAM, DEMO_TENANT_ID, type DemoMacState } from './demoIdentities';
import { DEMO_FLEET_IDS, DEMO_JAMF_GROUP_NAMES } from './demoFleetIds';
import { FLEET_CATALOG, pickWeighted, type CatalogModel } from './fleetCatalog';
import type {
  DemoFleet,
  GraphCaPolicyRecord,
  GraphDeviceRecord,
  GraphGroupRecord,
  GraphUserRecord,
  JamfComplianceRecord,
  JamfInventoryRecord,
  JamfPolicyRecord,
  JamfSmartGroupRecord,
} from './fleetTypes';
import { smartGroupPredicate } from './smartGroupPredicate';
import { seededRandom, type SeededRandom } from './seededRandom';

export interface GenerateFleetOptions {
  /** Number of Macs (at least the named people's and the edge cases' Macs are made). */
  size?: number;
  seed?: number;
  /** The instant every date is relative to; defaults to the current time. */
  now?: Date | string | number;
  /** Make the Intune partner's last heartbeat old: `true` = 6 hours, a number = that many hours. */
  staleHeartbeat?: boolean | number;
}

/** Named edge cases the fleet always contains, so tests can find them without searching. */
export interface FleetEdgeCases {
  /** Jamf computer id of a Mac with no user assigned. */
  macWithoutUser: string;
  /** UPN of a generated user with two Macs. */
  userWithTwoMacs: string;
  /** UPN of a user with a registered Mac who is not in the connector's Entra group. */
  userOutsideConnectorGroup: string;
  /** UPN containing an apostrophe. */
  apostropheUser: string;
  /** Two Macs of two different users with the same computer name. */
  duplicateName: { name: string; computerIds: [string, string] };
  /** UPNs of users whose display names are not ASCII. */
  unicodeUsers: string[];
  /** Jamf computer id of a compliant Mac that also has an older, stale Entra registration. */
  reRegisteredMac: string;
}

/** A demo fleet, plus what each Mac was generated to be. */
export interface GeneratedFleet extends DemoFleet {
  /** Jamf computer id → the verdict its facts were generated for. */
  intendedVerdicts: Record<string, DemoMacState>;
  edgeCases: FleetEdgeCases;
}

/** Share of each verdict in the generated crowd (the named people and edge cases come on top). */
export const VERDICT_SHARES: Record<DemoMacState, number> = {
  compliant: 0.6,
  not_registered: 0.12,
  waiting_first_report: 0.06,
  not_compliant: 0.1,
  out_of_sync: 0.04,
  stale: 0.04,
  not_applicable: 0.04,
};

// Module-level copies: under jest's vm context each `Math.x` is a slow global lookup, and these
// run hundreds of thousands of times for a large fleet.
const { floor, round, max, min } = Math;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Shared and frozen, like the catalog's apps: every Mac in the same FileVault state has the same section. */
const DISK_ENCRYPTED = Object.freeze({
  fileVault2Enabled: true,
  bootPartitionEncryptionDetails: Object.freeze({
    partitionName: 'Macintosh HD (Boot Partition)',
    partitionFileVault2State: 'ENCRYPTED',
    partitionFileVault2Percent: 100,
  }),
});
const DISK_UNENCRYPTED = Object.freeze({
  fileVault2Enabled: false,
  bootPartitionEncryptionDetails: Object.freeze({
    partitionName: 'Macintosh HD (Boot Partition)',
    partitionFileVault2State: 'UNENCRYPTED',
    partitionFileVault2Percent: 0,
  }),
});
const SERIAL_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';

interface UserSpec {
  id: string;
  upn: string;
  username: string;
  displayName: string;
  givenName: string;
  surname: string;
  inGroup: boolean;
  macs: MacSpec[];
}

interface MacSpec {
  verdict: DemoMacState;
  name: string;
  serial: string;
  model: CatalogModel;
  owner: UserSpec | null;
  /** Also leave an older Entra registration of this Mac behind. */
  leftover?: boolean;
}

/**
 * Builds the demo tenant: Jamf inventory, smart groups and compliance records, and the Entra /
 * Intune objects that go with them, each Mac's facts chosen so it lands in one intended verdict.
 * Deterministic for a seed (and `now`), and linear in `size` (50,000 Macs in about two seconds).
 */
export function generateFleet(opts: GenerateFleetOptions = {}): GeneratedFleet {
  const rng = seededRandom(opts.seed ?? 42);
  const nowMs = opts.now === undefined ? Date.now() : new Date(opts.now).getTime();
  if (Number.isNaN(nowMs)) throw new Error(`generateFleet: not a date: ${String(opts.now)}`);
  const ctx = new FleetBuilder(rng, nowMs);

  const fixed = ctx.fixedPeople();
  const fixedMacs = fixed.users.flatMap((u) => u.macs).concat(fixed.orphanMacs);
  const crowdSize = max(0, (opts.size ?? 500) - fixedMacs.length);
  const crowdUsers = ctx.crowd(crowdQuotas(crowdSize, opts.size ?? 500, fixedMacs));
  const users = [...fixed.users, ...crowdUsers];
  const macs = [...fixedMacs, ...crowdUsers.flatMap((u) => u.macs)];
  // A few people without a Mac, as any directory has.
  const bystanders = Array.from({ length: round(users.length * 0.05) }, () => ctx.newUser(false));

  const fleet = ctx.build(users, bystanders, macs, opts.staleHeartbeat);
  const idBySerial = new Map<string, string>(macs.map((m, i) => [m.serial, String(i + 1)]));
  const dupMacs = fixed.duplicateNameMacs.map((m) => idBySerial.get(m.serial) ?? '');
  return {
    ...fleet,
    edgeCases: {
      macWithoutUser: idBySerial.get(fixed.orphanMacs[0]?.serial ?? '') ?? '',
      reRegisteredMac: idBySerial.get(fixed.reRegisteredMac.serial) ?? '',
      userWithTwoMacs: fixed.twoMacUser.upn,
      userOutsideConnectorGroup: fixed.users.find((u) => !u.inGroup && u.macs.length > 0)?.upn ?? '',
      apostropheUser: fixed.apostropheUser.upn,
      duplicateName: { name: 'MacBook Pro', computerIds: [dupMacs[0] ?? '', dupMacs[1] ?? ''] },
      unicodeUsers: fixed.unicodeUsers.map((u) => u.upn),
    },
  };
}

/** Splits the crowd so the whole fleet comes close to `VERDICT_SHARES` (largest remainder). */
function crowdQuotas(crowdSize: number, size: number, fixed: MacSpec[]): DemoMacState[] {
  const verdicts = Object.keys(VERDICT_SHARES) as DemoMacState[];
  const need = verdicts.map((v) =>
    max(0, VERDICT_SHARES[v] * max(size, fixed.length) - fixed.filter((m) => m.verdict === v).length),
  );
  const needTotal = need.reduce((a, b) => a + b, 0) || 1;
  const exact = need.map((x) => (x / needTotal) * crowdSize);
  const counts = exact.map(floor);
  const order = exact.map((x, i) => [x - floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0, left = crowdSize - counts.reduce((a, b) => a + b, 0); k < left; k++) {
    const i = order[k % order.length]?.[1] ?? 0;
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return verdicts.flatMap((v, i) => Array<DemoMacState>(counts[i] ?? 0).fill(v));
}

class FleetBuilder {
  private readonly upns = new Set<string>();
  /** Next numeric suffix per `given.surname`, so a common name costs one lookup, not a scan. */
  private readonly nextSuffix = new Map<string, number>();
  private readonly serials = new Set<string>();

  constructor(
    private readonly rng: SeededRandom,
    private readonly nowMs: number,
  ) {}

  /** The Playground's people and the edge cases every fleet has. */
  fixedPeople() {
    const users: UserSpec[] = DEMO_PEOPLE.map((p) => {
      const u: UserSpec = {
        id: p.aadObjectId,
        upn: p.upn,
        username: p.upn.split('@')[0] ?? p.upn,
        displayName: p.name,
        givenName: p.givenName,
        surname: p.surname,
        inGroup: p.inConnectorGroup,
        macs: [],
      };
      this.upns.add(p.upn);
      u.macs = p.macs.map((m) => this.mac(m.state, u, m.name, m.serial));
      return u;
    });
    const edge = (
      given: string,
      surname: string,
      upnLocal: string,
      shown = `${given} ${surname}`,
    ): UserSpec => {
      const u = this.userSpec(given, surname, upnLocal, true, shown);
      users.push(u);
      return u;
    };
    const apostropheUser = edge('Dara', "O'Neill", "dara.o'neill");
    apostropheUser.macs.push(this.mac('compliant', apostropheUser, "Dara's MacBook Air"));
    const unicodeUsers = [
      edge('José', 'Müller', 'jose.muller'),
      edge('Zoë', 'Ångström', 'zoe.angstrom'),
      edge('伟', '李', 'wei.li', '李伟'),
      edge('Siobhán', 'Ní Bhriain', 'siobhan.nibhriain'),
    ];
    const [jose, zoe, wei, siobhan] = unicodeUsers as [UserSpec, UserSpec, UserSpec, UserSpec];
    const reRegisteredMac = this.mac('compliant', jose, 'José’s MacBook Pro');
    reRegisteredMac.leftover = true;
    jose.macs.push(reRegisteredMac);
    zoe.macs.push(this.mac('not_compliant', zoe, 'Zoë’s MacBook Air'));
    wei.macs.push(this.mac('compliant', wei, '李伟的 MacBook Pro'));
    siobhan.macs.push(this.mac('waiting_first_report', siobhan, 'Siobhán’s MacBook Air'));
    const chris = edge('Chris', 'Lee', 'chris.lee');
    const jordan = edge('Jordan', 'Kim', 'jordan.kim');
    const duplicateNameMacs = [
      this.mac('compliant', chris, 'MacBook Pro', undefined, 'MacBook Pro'),
      this.mac('not_compliant', jordan, 'MacBook Pro', undefined, 'MacBook Pro'),
    ];
    chris.macs.push(duplicateNameMacs[0] as MacSpec);
    jordan.macs.push(duplicateNameMacs[1] as MacSpec);
    const twoMacUser = edge('Priya', 'Sharma', 'priya.sharma');
    twoMacUser.macs.push(
      this.mac('compliant', twoMacUser, 'Priya’s MacBook Pro', undefined, 'MacBook Pro'),
      this.mac('not_registered', twoMacUser, 'Priya’s Mac mini', undefined, 'Mac mini'),
    );
    const orphanMacs = [this.mac('not_registered', null, 'Lab-iMac-07', undefined, 'iMac')];
    return {
      users,
      orphanMacs,
      apostropheUser,
      unicodeUsers,
      duplicateNameMacs,
      twoMacUser,
      reRegisteredMac,
    };
  }

  /** Generated users and their Macs, one verdict per Mac from `verdicts` (shuffled). */
  crowd(verdicts: DemoMacState[]): UserSpec[] {
    this.rng.shuffle(verdicts);
    const users: UserSpec[] = [];
    for (const verdict of verdicts) {
      const last = users[users.length - 1];
      const waiting = verdict === 'waiting_first_report' || verdict === 'not_registered';
      // About one person in fifteen has a second Mac; someone outside the connector group can
      // only be waiting or unregistered, so their second Mac must be too.
      if (last && last.macs.length === 1 && this.rng.chance(0.07) && (last.inGroup || waiting)) {
        last.macs.push(this.crowdMac(verdict, last));
        continue;
      }
      const outside = verdict === 'waiting_first_report' ? 0.2 : verdict === 'not_registered' ? 0.08 : 0;
      const u = this.newUser(!this.rng.chance(outside));
      u.macs.push(this.crowdMac(verdict, u));
      users.push(u);
    }
    return users;
  }

  private crowdMac(verdict: DemoMacState, owner: UserSpec): MacSpec {
    const m = this.mac(verdict, owner);
    m.leftover = verdict === 'compliant' && this.rng.chance(0.02);
    return m;
  }

  newUser(inGroup: boolean): UserSpec {
    const g = this.rng.pick(FLEET_CATALOG.givenNames);
    const s = this.rng.pick(FLEET_CATALOG.surnames);
    const base = `${g.ascii}.${s.ascii}`.toLowerCase().replace(/[^a-z0-9.'-]/g, '');
    let k = this.nextSuffix.get(base) ?? 1;
    let local = k === 1 ? base : `${base}${k}`;
    while (this.upns.has(`${local}@${DEMO_DOMAIN}`)) local = `${base}${++k}`;
    this.nextSuffix.set(base, k + 1);
    return this.userSpec(g.shown, s.shown, local, inGroup);
  }

  private userSpec(
    givenName: string,
    surname: string,
    local: string,
    inGroup: boolean,
    shown?: string,
  ): UserSpec {
    const upn = `${local}@${DEMO_DOMAIN}`;
    this.upns.add(upn);
    return {
      id: this.rng.uuid(),
      upn,
      username: local,
      displayName: shown ?? `${givenName} ${surname}`,
      givenName,
      surname,
      inGroup,
      macs: [],
    };
  }

  private mac(
    verdict: DemoMacState,
    owner: UserSpec | null,
    name?: string,
    serial?: string,
    kind?: string,
  ): MacSpec {
    const kindFromName = FLEET_CATALOG.models.find((m) => (name ?? '').includes(m.kind))?.kind;
    const wanted = kind ?? kindFromName;
    const candidates = wanted ? FLEET_CATALOG.models.filter((m) => m.kind === wanted) : FLEET_CATALOG.models;
    const model = pickWeighted(candidates, this.rng.next());
    const s = serial ?? this.serial();
    this.serials.add(s);
    return { verdict, owner, model, serial: s, name: name ?? this.macName(owner, model, s) };
  }

  private serial(): string {
    for (;;) {
      const s = this.rng.chance(0.5)
        ? this.rng.pick(['C02', 'FVF', 'C07']) + this.rng.chars(SERIAL_ALPHABET, 9)
        : this.rng.chars(SERIAL_ALPHABET, 10);
      if (!this.serials.has(s)) return s;
    }
  }

  /** Names as people really leave them: macOS's default, a hostname, the bare model, a serial. */
  private macName(owner: UserSpec | null, model: CatalogModel, serial: string): string {
    const r = this.rng.next();
    if (!owner || r < 0.04) return serial;
    if (r < 0.62) return `${owner.givenName}’s ${model.kind}`;
    if (r < 0.7) return `${owner.givenName}'s ${model.kind}`;
    if (r < 0.95)
      return `${owner.username.replace(/[^a-z0-9]/g, '-')}-${model.kind.replace(/\s+/g, '').toLowerCase()}`;
    return model.kind;
  }

  private iso(msAgo: number): string {
    return isoSeconds(this.nowMs - msAgo);
  }

  build(users: UserSpec[], bystanders: UserSpec[], macs: MacSpec[], staleHeartbeat?: boolean | number) {
    const rng = this.rng;
    const smartGroups = demoSmartGroups();
    const computers: JamfInventoryRecord[] = [];
    const compliance: Record<string, JamfComplianceRecord[]> = {};
    const devices: GraphDeviceRecord[] = [];
    const intendedVerdicts: Record<string, DemoMacState> = {};

    macs.forEach((m, i) => {
      const id = String(i + 1);
      intendedVerdicts[id] = m.verdict;
      const v = m.verdict;
      const fv = v === 'not_compliant' ? rng.next() : 1;
      // not_compliant: FileVault short of all partitions (55%), an old inventory (30%), or both.
      const fvFails = fv < 0.7;
      const inventoryFails = v === 'not_compliant' && fv > 0.55;
      // The sync clock runs from the later of registration and last inventory (see
      // readMacFacts): out of sync needs both older than the 8-hour delay.
      const reportAgeMs =
        v === 'stale'
          ? rng.between(15, 90) * DAY
          : inventoryFails
            ? rng.between(2.5, 13) * DAY
            : v === 'out_of_sync'
              ? rng.between(10, 40) * HOUR
              : rng.between(0.2, 40) * HOUR;
      const contactAgeMs =
        v === 'stale'
          ? max(14.2 * DAY, reportAgeMs - rng.between(0, 48) * HOUR)
          : rng.between(0.05, min(reportAgeMs / HOUR, 6)) * HOUR;
      const fileVault = fvFails
        ? rng.pick(['NOT_ENCRYPTED', 'BOOT_ENCRYPTED', 'SOME_ENCRYPTED'])
        : 'ALL_ENCRYPTED';
      const os = pickWeighted(FLEET_CATALOG.osReleases, rng.next());
      const apps = [
        ...(v === 'not_applicable' ? [] : [FLEET_CATALOG.companyPortal]),
        FLEET_CATALOG.selfService,
        ...FLEET_CATALOG.baseApps,
        ...FLEET_CATALOG.optionalApps.filter(() => rng.chance(0.45)),
      ];
      const computer: JamfInventoryRecord = {
        id,
        udid: rng.uuid().toUpperCase(),
        general: {
          name: m.name,
          reportDate: this.iso(reportAgeMs),
          lastContact: this.iso(contactAgeMs),
          lastCheckIn: this.iso(contactAgeMs),
          platform: 'Mac',
          managementId: rng.uuid(),
        },
        hardware: {
          serialNumber: m.serial,
          model: m.model.model,
          modelIdentifier: m.model.modelIdentifier,
          make: 'Apple',
        },
        operatingSystem: { name: 'macOS', version: os.version, build: os.build, fileVault2Status: fileVault },
        diskEncryption: fileVault === 'NOT_ENCRYPTED' ? DISK_UNENCRYPTED : DISK_ENCRYPTED,
        applications: apps,
        // Jamf Pro's schema has no nulls here: a Mac without a user has empty strings.
        userAndLocation: {
          username: m.owner?.username ?? '',
          realname: m.owner?.displayName ?? '',
          email: m.owner?.upn ?? '',
        },
        groupMemberships: [],
      };
      computers.push(computer);

      const registered = v !== 'not_registered' && v !== 'not_applicable' && m.owner !== null;
      const deviceId = registered ? rng.uuid() : null;
      compliance[id] = [
        {
          deviceId: id,
          applicable: v !== 'not_applicable',
          complianceState:
            v === 'compliant' || v === 'out_of_sync'
              ? 'COMPLIANT'
              : v === 'not_compliant' || v === 'stale'
                ? 'NON_COMPLIANT'
                : 'UNKNOWN',
          complianceVendor: 'Intune',
          complianceVendorDeviceInformation: { deviceIds: deviceId ? [deviceId] : [] },
        },
      ];
      if (!deviceId || !m.owner) return;
      const regAgeMs = {
        compliant: rng.between(10, 400) * DAY,
        not_compliant: rng.between(5, 300) * DAY,
        out_of_sync: rng.between(2, 60) * DAY,
        stale: rng.between(30, 400) * DAY,
        waiting_first_report: rng.between(0.3, 6) * HOUR,
        not_registered: 0,
        not_applicable: 0,
      }[v];
      const signInAgeMs =
        v === 'stale'
          ? min(regAgeMs, reportAgeMs + rng.between(0, 12) * HOUR)
          : rng.between(0.1, min(regAgeMs / HOUR, 72)) * HOUR;
      const device = this.macDevice(deviceId, m, os.version, regAgeMs, signInAgeMs);
      device.isCompliant =
        v === 'compliant' ? true : v === 'waiting_first_report' && rng.chance(0.5) ? null : false;
      device.isManaged = v === 'waiting_first_report' ? null : true;
      devices.push(device);
      // A leftover from an earlier registration of the same Mac: same name and owner, never
      // reported by Jamf. Only Jamf's deviceId tells the two apart.
      if (m.leftover) {
        const oldReg = regAgeMs + rng.between(30, 200) * DAY;
        const leftover = this.macDevice(rng.uuid(), m, '14.6.1', oldReg, oldReg - rng.between(1, 20) * DAY);
        leftover.isCompliant = false;
        devices.push(leftover);
      }
    });

    for (const g of smartGroups) {
      const isMember = smartGroupPredicate(g.criteria, this.nowMs);
      // One frozen entry shared by every member: a 50,000-Mac fleet is mostly garbage-collector
      // time, and these are identical. Writers (the simulator) replace entries, never edit them.
      const membership = Object.freeze({ groupId: g.id, groupName: g.name, smartGroup: true });
      for (const c of computers) {
        if (!isMember(c)) continue;
        g.members.push(c.id);
        c.groupMemberships.push(membership);
      }
    }

    const everyone = [...users, ...bystanders];
    const named = new Set(DEMO_PEOPLE.map((p) => p.aadObjectId));
    for (const u of everyone) {
      // The Playground's people keep the same devices whatever the seed.
      if (!named.has(u.id) && rng.chance(0.15)) devices.push(this.windowsDevice(u));
    }
    const graphUsers: GraphUserRecord[] = everyone.map((u) => ({
      id: u.id,
      userPrincipalName: u.upn,
      displayName: u.displayName,
      givenName: u.givenName,
      surname: u.surname,
      mail: u.upn,
      accountEnabled: true,
    }));
    const connectorGroupId = DEMO_FLEET_IDS.connectorGroupId;
    const groups: GraphGroupRecord[] = [
      {
        id: connectorGroupId,
        displayName: 'Jamf Device Compliance Users',
        mailNickname: 'jamf-device-compliance-users',
        mailEnabled: false,
        securityEnabled: true,
        groupTypes: [],
        membershipRule: null,
        membershipRuleProcessingState: null,
        memberIds: users.filter((u) => u.inGroup).map((u) => u.id),
      },
      {
        id: DEMO_FLEET_IDS.allEmployeesGroupId,
        displayName: 'All Employees',
        mailNickname: 'all-employees',
        mailEnabled: false,
        securityEnabled: true,
        groupTypes: ['DynamicMembership'],
        membershipRule: '(user.accountEnabled -eq true)',
        membershipRuleProcessingState: 'On',
        memberIds: everyone.map((u) => u.id),
      },
      {
        id: DEMO_TEAM.aadGroupId,
        displayName: DEMO_TEAM.name,
        mailNickname: 'it-admins',
        mailEnabled: true,
        securityEnabled: false,
        groupTypes: ['Unified'],
        membershipRule: null,
        membershipRuleProcessingState: null,
        memberIds: DEMO_PEOPLE.filter((p) => p.admin).map((p) => p.aadObjectId),
      },
    ];
    const heartbeatAgeMs =
      staleHeartbeat === undefined || staleHeartbeat === false
        ? rng.between(2, 14) * 60_000
        : (staleHeartbeat === true ? 6 : staleHeartbeat) * HOUR;
    const fleet: DemoFleet & { intendedVerdicts: Record<string, DemoMacState> } = {
      generatedAt: this.iso(0),
      tenantId: DEMO_TENANT_ID,
      jamf: { computers, smartGroups, policies: demoPolicies(), compliance },
      graph: {
        users: graphUsers,
        devices,
        groups,
        compliancePartners: [
          {
            id: DEMO_FLEET_IDS.compliancePartnerId,
            displayName: 'Jamf Device Compliance',
            lastHeartbeatDateTime: this.iso(heartbeatAgeMs),
            partnerState: 'enabled',
            macOsOnboarded: true,
            iosOnboarded: false,
            androidOnboarded: false,
            macOsEnrollmentAssignments: [
              {
                target: {
                  '@odata.type': '#microsoft.graph.groupAssignmentTarget',
                  groupId: connectorGroupId,
                },
              },
            ],
            iosEnrollmentAssignments: [],
            androidEnrollmentAssignments: [],
          },
        ],
        caPolicies: this.caPolicies(connectorGroupId),
        servicePrincipals: [
          {
            ...DEMO_FLEET_IDS.servicePrincipals.cloudConnector,
            displayName: 'Cloud Connector for Device Compliance',
          },
          {
            ...DEMO_FLEET_IDS.servicePrincipals.userRegistration,
            displayName: 'User registration app for Device Compliance',
          },
          { ...DEMO_FLEET_IDS.servicePrincipals.intune, displayName: 'Microsoft Intune' },
        ],
      },
      connectorGroupId,
      intendedVerdicts,
    };
    return fleet;
  }

  private macDevice(deviceId: string, m: MacSpec, osVersion: string, regAgeMs: number, signInAgeMs: number) {
    const d: GraphDeviceRecord = {
      id: this.rng.uuid(),
      deviceId,
      displayName: m.name,
      accountEnabled: true,
      isCompliant: false,
      isManaged: null,
      trustType: 'Workplace',
      operatingSystem: 'MacOS',
      operatingSystemVersion: osVersion,
      registrationDateTime: this.iso(regAgeMs),
      approximateLastSignInDateTime: this.iso(max(0, signInAgeMs)),
      manufacturer: 'Apple',
      model: m.model.model,
      managementType: null,
      mdmAppId: null,
      registeredOwnerIds: m.owner ? [m.owner.id] : [],
    };
    return d;
  }

  private windowsDevice(u: UserSpec): GraphDeviceRecord {
    const reg = this.rng.between(10, 700) * DAY;
    return {
      id: this.rng.uuid(),
      deviceId: this.rng.uuid(),
      displayName: `DESKTOP-${this.rng.chars(SERIAL_ALPHABET, 7)}`,
      accountEnabled: true,
      isCompliant: this.rng.chance(0.9),
      isManaged: true,
      trustType: 'AzureAd',
      operatingSystem: 'Windows',
      operatingSystemVersion: '10.0.22631.4890',
      registrationDateTime: this.iso(reg),
      approximateLastSignInDateTime: this.iso(this.rng.between(0.1, 96) * HOUR),
      manufacturer: 'Dell Inc.',
      model: 'Latitude 7440',
      managementType: 'MDM',
      mdmAppId: DEMO_FLEET_IDS.servicePrincipals.intune.appId,
      registeredOwnerIds: [u.id],
    };
  }

  private caPolicies(connectorGroupId: string): GraphCaPolicyRecord[] {
    // Every member Graph v1.0 serves for a policy, as a tenant's policies carry them.
    const users = {
      includeUsers: [],
      excludeUsers: [],
      includeGroups: [],
      excludeGroups: [],
      includeRoles: [],
      excludeRoles: [],
      includeGuestsOrExternalUsers: null,
      excludeGuestsOrExternalUsers: null,
    };
    const rest = {
      locations: null,
      clientApplications: null,
      devices: null,
      userRiskLevels: [],
      signInRiskLevels: [],
      servicePrincipalRiskLevels: [],
      insiderRiskLevels: null,
      authenticationFlows: null,
    };
    const grant = (builtInControls: string[]) => ({
      operator: 'OR' as const,
      builtInControls,
      customAuthenticationFactors: [],
      termsOfUse: [],
      authenticationStrength: null,
    });
    return [
      {
        id: DEMO_FLEET_IDS.caPolicies.requireCompliantMac,
        displayName: 'Require compliant device – Macs',
        description: null,
        templateId: null,
        state: 'enabled',
        createdDateTime: this.iso(120 * DAY),
        modifiedDateTime: this.iso(30 * DAY),
        conditions: {
          applications: {
            includeApplications: ['All'],
            excludeApplications: [DEMO_FLEET_IDS.servicePrincipals.userRegistration.appId],
            includeUserActions: [],
            includeAuthenticationContextClassReferences: [],
            applicationFilter: null,
          },
          users: { ...users, includeGroups: [connectorGroupId] },
          platforms: { includePlatforms: ['macOS'], excludePlatforms: [] },
          clientAppTypes: ['all'],
          ...rest,
        },
        grantControls: grant(['compliantDevice']),
        sessionControls: null,
      },
      {
        id: DEMO_FLEET_IDS.caPolicies.reportOnlyAllPlatforms,
        displayName: 'Require compliant or hybrid-joined device – all platforms (report-only)',
        description: null,
        templateId: null,
        state: 'enabledForReportingButNotEnforced',
        createdDateTime: this.iso(20 * DAY),
        modifiedDateTime: this.iso(20 * DAY),
        conditions: {
          applications: {
            includeApplications: ['All'],
            excludeApplications: [],
            includeUserActions: [],
            includeAuthenticationContextClassReferences: [],
            applicationFilter: null,
          },
          users: { ...users, includeUsers: ['All'] },
          platforms: null,
          clientAppTypes: ['all'],
          ...rest,
        },
        grantControls: grant(['compliantDevice', 'domainJoinedDevice']),
        sessionControls: null,
      },
    ];
  }
}

/** The seed article's two groups, plus two ordinary ones a real Jamf Pro has. */
function demoSmartGroups(): JamfSmartGroupRecord[] {
  const ids = DEMO_FLEET_IDS.jamfGroups;
  const crit = (
    priority: number,
    name: string,
    searchType: string,
    value: string,
  ): JamfSmartGroupRecord['criteria'][number] => ({
    name,
    priority,
    andOr: 'and',
    searchType,
    value,
    openingParen: false,
    closingParen: false,
  });
  const appTitle = (p: number) => crit(p, 'Application Title', 'is', 'CompanyPortal.app');
  return [
    {
      id: ids.allManagedClients,
      name: DEMO_JAMF_GROUP_NAMES.allManagedClients,
      description: '',
      criteria: [],
      members: [],
    },
    {
      id: ids.applicable,
      name: DEMO_JAMF_GROUP_NAMES.applicable,
      description: 'Macs that need access to Microsoft 365: Company Portal installed.',
      criteria: [appTitle(0)],
      members: [],
    },
    {
      id: ids.compliance,
      name: DEMO_JAMF_GROUP_NAMES.compliance,
      description: 'Macs Jamf deems compliant; reported to Intune.',
      criteria: [
        crit(0, 'Last Inventory Update', 'less than x days ago', '2'),
        appTitle(1),
        crit(2, 'FileVault 2 Partition Encryption State', 'is', 'All Partitions Encrypted'),
      ],
      members: [],
    },
    {
      id: ids.macOs15,
      name: DEMO_JAMF_GROUP_NAMES.macOs15,
      description: '',
      criteria: [crit(0, 'Operating System Version', 'greater than or equal', '15.0')],
      members: [],
    },
  ];
}

const pad2 = (n: number): string => (n < 10 ? '0' : '') + n;

/**
 * `YYYY-MM-DDTHH:mm:ssZ` in whole seconds, as Jamf Pro writes dates. Hand-rolled (Hinnant's
 * civil-from-days) because `toISOString` dominated generating a 50,000-Mac fleet.
 */
function isoSeconds(ms: number): string {
  const secs = round(ms / 1000);
  const days = floor(secs / 86_400);
  const sod = secs - days * 86_400;
  const z = days + 719_468;
  const era = floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = floor((doe - floor(doe / 1460) + floor(doe / 36_524) - floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + floor(yoe / 4) - floor(yoe / 100));
  const mp = floor((5 * doy + 2) / 153);
  const d = doy - floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  const hh = floor(sod / 3600);
  const mm = floor((sod % 3600) / 60);
  return `${y}-${pad2(m)}-${pad2(d)}T${pad2(hh)}:${pad2(mm)}:${pad2(sod % 60)}Z`;
}

/**
 * The seed's computer policy — *Register with Microsoft Entra ID*, in Self Service, scoped to the
 * Applicable smart group — and two unrelated ones, as a Jamf Pro server would list them.
 */
function demoPolicies(): JamfPolicyRecord[] {
  const ids = DEMO_FLEET_IDS.jamfPolicies;
  const applicable = {
    id: Number(DEMO_FLEET_IDS.jamfGroups.applicable),
    name: DEMO_JAMF_GROUP_NAMES.applicable,
  };
  const everyone = {
    id: Number(DEMO_FLEET_IDS.jamfGroups.allManagedClients),
    name: DEMO_JAMF_GROUP_NAMES.allManagedClients,
  };
  const policy = (
    id: number,
    name: string,
    groups: { id: number; name: string }[],
    selfService: string | null,
  ): JamfPolicyRecord => classicPolicyRecord({ id, name, groups, selfService });
  return [
    policy(
      ids.registration,
      'Register with Microsoft Entra ID',
      [applicable],
      'Register with Microsoft Entra ID',
    ),
    policy(ids.rosetta, 'Install Rosetta 2', [everyone], null),
    policy(ids.companyPortalUpdate, 'Update Company Portal', [everyone], 'Update Company Portal'),
  ];
}
