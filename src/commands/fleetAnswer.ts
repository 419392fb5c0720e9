import { fleetBuildingCardModel } from '../cards/fleetBuildingCardModel';
import { renderCard, type AdaptiveCard } from '../cards/renderCard';
import type { FleetSnapshotRead, FleetSnapshotSource } from '../compliance/fleetSnapshotTypes';
import { UpstreamError } from '../errors';
import type { Logger } from '../log';
import type { Notifier, PostedCard } from '../notifier';
import type { CardActionContext, CommandContext } from './commandTypes';
import {
  refreshableCommand,
  type RefreshableCardCommand,
  type RefreshableCommandSpec,
} from './refreshableCardCommand';
import { storedConversationId } from './storedConversationId';

export type ReadyFleet = Extract<FleetSnapshotRead, { state: 'ready' }>;
export type BuildingFleet = Extract<FleetSnapshotRead, { state: 'building' }>;

/** One answer's cards: from a snapshot, and (optionally, else the progress card) while the first one is built. */
export interface FleetCard {
  ready(fleet: ReadyFleet, now: Date): Promise<AdaptiveCard>;
  building?(fleet: BuildingFleet, now: Date): Promise<AdaptiveCard>;
  /** When the snapshot cannot be read (a coded failure): an answer without it, else the error card. */
  failed?(error: UpstreamError, now: Date): Promise<AdaptiveCard>;
}

export interface FleetAnswerTiming {
  /** How often a progress card is updated in place during the cold build. */
  progressEveryMs: number;
  /** How long a progress card keeps updating; then it says the build takes longer and stops. */
  buildWaitMs: number;
  /** How long Refresh waits for an incremental sync before answering with the snapshot held. */
  refreshWaitMs: number;
  /** How long a pressed card waits for that sync to update it in place. */
  syncWaitMs: number;
  /**
   * How long a command waits for a cold build already under way before answering with the
   * progress card: a small fleet's build takes a second or two, and one answer beats two.
   */
  firstAnswerWaitMs: number;
}

export const DEFAULT_FLEET_ANSWER_TIMING: FleetAnswerTiming = {
  progressEveryMs: 3_000,
  buildWaitMs: 30 * 60_000,
  refreshWaitMs: 2_000,
  syncWaitMs: 10 * 60_000,
  firstAnswerWaitMs: 3_000,
};

export interface FleetAnswerDeps {
  fleet: FleetSnapshotSource;
  /** Updates a message after its turn has ended (the turn's own context is gone by then). */
  notifier: Pick<Notifier, 'updateCard'>;
  timing?: Partial<FleetAnswerTiming>;
}

/** How the fleet-wide commands answer from the fleet snapshot (`connector status`, `rollout`). */
export interface FleetAnswer {
  /** Answers a command now; during the cold build with the progress card, updated in place until the answer replaces it. */
  reply(ctx: CommandContext, card: FleetCard, command: string): Promise<void>;
  /**
   * Answers a Refresh press within ~`refreshWaitMs`: after an incremental sync when it is that
   * quick, else from the snapshot held, and the pressed card is updated in place once the sync ran.
   */
  refresh(ctx: CardActionContext, card: FleetCard, command: string): Promise<AdaptiveCard>;
}

/** What a progress card shows, to skip updates that would change nothing. */
const progressKey = (read: FleetSnapshotRead): string =>
  read.state === 'ready' ? 'ready' : JSON.stringify(read.progress);

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms).unref();
  });

/**
 * The one place fleet-wide answers meet the snapshot's two states and Teams' turn limits. A turn
 * must be answered within seconds, a cold build takes minutes at 50,000 Macs: the answer is
 * posted at once and kept current afterwards through the `Notifier` (stored conversation
 * references), never through the turn's context, which is unusable once the turn has ended.
 * Follow-ups run in the background and log their failures; they never fail the turn.
 */
export function fleetAnswer(deps: FleetAnswerDeps): FleetAnswer {
  const timing = { ...DEFAULT_FLEET_ANSWER_TIMING, ...deps.timing };
  const { fleet, notifier } = deps;

  const render = (card: FleetCard, read: FleetSnapshotRead, now: Date, command: string, stopped = false) =>
    read.state === 'ready'
      ? card.ready(read, now)
      : !stopped && card.building
        ? card.building(read, now)
        : Promise.resolve(
            renderCard('fleetBuilding', fleetBuildingCardModel(read, { now, command, stopped })),
          );

  /** Updates a posted card from the snapshot until it is ready (or the wait is over). */
  async function followBuild(
    posted: PostedCard,
    card: FleetCard,
    command: string,
    now: () => Date,
    log: Logger,
    shown: FleetSnapshotRead,
  ): Promise<void> {
    const until = Date.now() + timing.buildWaitMs;
    let last = progressKey(shown);
    for (;;) {
      await sleep(timing.progressEveryMs);
      const read = await fleet.read();
      const stopped = read.state === 'building' && Date.now() >= until;
      // An unchanged progress is not sent again (every update is a Bot Connector call).
      const key = progressKey(read);
      if (key !== last || stopped)
        await notifier.updateCard(posted, await render(card, read, now(), command, stopped));
      last = key;
      if (read.state === 'ready') return;
      if (stopped) {
        log.warn(
          { command, progress: read.progress },
          'fleet build still running; stopped updating the progress card',
        );
        return;
      }
    }
  }

  function inBackground(work: Promise<void>, log: Logger, what: string): void {
    work.catch((err: unknown) => log.warn({ err }, what));
  }

  /** The snapshot, or the card's answer without it when reading it failed and the card has one. */
  async function readFor(card: FleetCard, now: Date, reading: Promise<FleetSnapshotRead>) {
    try {
      return { read: await reading, failure: null };
    } catch (e) {
      if (!(e instanceof UpstreamError) || !card.failed) throw e;
      return { read: null, failure: await card.failed(e, now) };
    }
  }

  /** The snapshot, waiting up to `firstAnswerWaitMs` for a cold build that may be about to finish. */
  async function readSoon(): Promise<FleetSnapshotRead> {
    const until = Date.now() + timing.firstAnswerWaitMs;
    for (;;) {
      const read = await fleet.read();
      if (read.state === 'ready' || Date.now() >= until) return read;
      await sleep(Math.min(200, Math.max(0, until - Date.now())));
    }
  }

  return {
    async reply(ctx, card, command) {
      const { read, failure } = await readFor(card, ctx.now(), readSoon());
      if (!read) {
        await ctx.reply({ card: failure });
        return;
      }
      const activityId = await ctx.reply({ card: await render(card, read, ctx.now(), command) });
      if (read.state === 'ready') return;
      if (!activityId) {
        ctx.log.warn({ command }, 'the progress card has no activity id: it cannot be updated in place');
        return;
      }
      const posted = { conversationId: storedConversationId(ctx.conversation), activityId };
      inBackground(
        followBuild(posted, card, command, ctx.now, ctx.log, read),
        ctx.log,
        'could not update the fleet progress card',
      );
    },

    async refresh(ctx, card, command) {
      const synced = fleet.refresh({ timeoutMs: timing.syncWaitMs });
      const quick = await Promise.race([synced, sleep(timing.refreshWaitMs).then(() => null)]);
      const got = quick ? { read: quick, failure: null } : await readFor(card, ctx.now(), fleet.read());
      if (!got.read) return got.failure;
      const { read } = got;
      const answer = await render(card, read, ctx.now(), command);
      const posted = ctx.cardActivityId
        ? { conversationId: storedConversationId(ctx.conversation), activityId: ctx.cardActivityId }
        : null;
      if (!posted) {
        if (!quick || read.state === 'building')
          ctx.log.warn({ command }, 'the pressed card has no activity id: it cannot be updated in place');
        inBackground(
          synced.then(() => undefined),
          ctx.log,
          'the fleet sync Refresh asked for failed',
        );
        return answer;
      }
      if (read.state === 'building') {
        inBackground(
          synced.then(() => undefined),
          ctx.log,
          'the fleet sync Refresh asked for failed',
        );
        inBackground(
          followBuild(posted, card, command, ctx.now, ctx.log, read),
          ctx.log,
          'could not update the fleet progress card',
        );
      } else if (!quick) {
        inBackground(
          synced.then(async (after) => {
            if (after.state === 'ready')
              await notifier.updateCard(posted, await card.ready(after, ctx.now()));
          }),
          ctx.log,
          'could not update the refreshed card after the sync',
        );
      }
      return answer;
    },
  };
}

/**
 * A fleet-wide admin command and its Refresh button (`verb`), both answered through `answer`
 * (see `fleetAnswer`). `card` is called once per answer, so an answer can load its live parts
 * once and reuse them while a progress card updates.
 */
export function refreshableFleetCommand(
  spec: RefreshableCommandSpec & { answer: FleetAnswer; card: (opts: { fresh: boolean }) => FleetCard },
): RefreshableCardCommand {
  const { card, answer, ...rest } = spec;
  return refreshableCommand({
    ...rest,
    run: (ctx) => answer.reply(ctx, card({ fresh: false }), spec.name),
    refresh: (ctx) => answer.refresh(ctx, card({ fresh: true }), spec.name),
  });
}
