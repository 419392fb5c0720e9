import { DropAlerts } from '../../src/alerts/dropAlerts';
import { ThankYouService } from '../../src/broadcasts/thankYouService';
import type { PersonalCardResult } from '../../src/broadcasts/sendPersonalCard';
import type { AdaptiveCard } from '../../src/cards/renderCard';
import { DEFAULT_CRITERIA } from '../../src/compliance/defaultCriteria';
import type { FleetChange, FleetChanges } from '../../src/compliance/fleetSnapshotTypes';
import type { MacRecord } from '../../src/compliance/types';
import type { AppConfig } from '../../src/config';
import { silentLogger } from '../../src/log';
import type { PostedCard } from '../../src/notifier';
import type { BotStore } from '../../src/store/botStore';
import { APPLICABLE, COMPLIANCE, entraDevice, entraUser, macRecord } from '../unit/complianceFixtures';

/** A clock the tests move by hand. */
export class TestClock {
  constructor(public t = Date.parse('2026-12-01T10:00:00.000Z')) {}
  now = (): Date => new Date(this.t);
  advanceMinutes(m: number): void {
    this.t += m * 60_000;
  }
}

export function liveConfig(
  over: Partial<AppConfig['liveUpdates']> = {},
): Pick<AppConfig, 'criteria' | 'liveUpdates'> {
  return {
    criteria: DEFAULT_CRITERIA,
    liveUpdates: {
      thankYou: true,
      confirmWithinHours: 24,
      dropAlertMacs: 25,
      dropWindowMinutes: 15,
      ...over,
    },
  };
}

/** Mac `id` of person `u-<id>`, inside or outside the Compliance group, with Entra's verdict. */
export function mac(id: string, opts: { inGroup: boolean; entraCompliant: boolean | null }): MacRecord {
  return macRecord({
    jamf: { id, name: `Mac ${id}`, groups: opts.inGroup ? [APPLICABLE, COMPLIANCE] : [APPLICABLE] },
    entra: entraDevice({ id: `obj-${id}`, deviceId: `dev-${id}`, isCompliant: opts.entraCompliant }),
    user: entraUser({ id: `u-${id}`, displayName: `Person ${id}` }),
  });
}

export const entered = (id: string, entraCompliant: boolean | null): FleetChange => ({
  jamfId: id,
  before: mac(id, { inGroup: false, entraCompliant: false }),
  after: mac(id, { inGroup: true, entraCompliant }),
});

export const entraCaughtUp = (id: string): FleetChange => ({
  jamfId: id,
  before: mac(id, { inGroup: true, entraCompliant: false }),
  after: mac(id, { inGroup: true, entraCompliant: true }),
});

export const left = (id: string): FleetChange => ({
  jamfId: id,
  before: mac(id, { inGroup: true, entraCompliant: true }),
  after: mac(id, { inGroup: false, entraCompliant: true }),
});

export const batch = (clock: TestClock, changes: FleetChange[], version = 1): FleetChanges => ({
  version,
  at: clock.now(),
  changes,
});

/** The thank-you service over a real store, with the live re-check and the send faked. */
export function thankYouRig(store: BotStore, clock: TestClock, over: Partial<AppConfig['liveUpdates']> = {}) {
  const sent: { to: string; card: AdaptiveCard }[] = [];
  /** What the live re-check answers per Jamf id (absent: not compliant in Entra yet). */
  const live = new Map<string, MacRecord | Error>();
  let sendResult: (to: string) => PersonalCardResult = (to) => ({
    sent: true,
    conversationId: `a:${to}`,
    activityId: 'act',
  });
  const service = new ThankYouService({
    store,
    recheckMac: async (jamfId) => {
      const r = live.get(jamfId);
      if (r instanceof Error) throw r;
      return r ?? mac(jamfId, { inGroup: true, entraCompliant: false });
    },
    sendCard: async (to, card) => {
      sent.push({ to, card });
      return sendResult(to);
    },
    readerOf: (aadObjectId) => store.findPersonalConversation(aadObjectId),
    config: liveConfig(over),
    history: store,
    owner: `test-${Math.random()}`,
    logger: silentLogger(),
    now: clock.now,
  });
  return {
    service,
    sent,
    live,
    failSends(detail: string) {
      sendResult = () => ({ sent: false, detail });
    },
  };
}

/** The drop alerts over a real store, with a notifier that records posts and updates. */
export function dropRig(store: BotStore, clock: TestClock, over: Partial<AppConfig['liveUpdates']> = {}) {
  const posts: AdaptiveCard[] = [];
  const updates: { posted: PostedCard; card: AdaptiveCard }[] = [];
  const alerts = new DropAlerts({
    store,
    notifier: {
      postToAdminChannel: async (card) => {
        posts.push(card);
        return { conversationId: '19:admin@thread.tacv2', activityId: `post-${posts.length}` };
      },
      updateCard: async (posted, card) => {
        updates.push({ posted, card });
      },
    },
    config: liveConfig(over),
    logger: silentLogger(),
    now: clock.now,
  });
  return { alerts, posts, updates };
}
