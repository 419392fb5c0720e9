import { checkConnector, type CheckConnectorDeps, type ConnectorCheck } from '../alerts/checkConnector';
import type { AppConfig } from '../config';
import type { Logger } from '../log';
import type { Notifier } from '../notifier';
import { rolloutCard, type RolloutCardDeps } from '../rollout/rolloutCard';
import { takeRolloutSnapshot, utcDay } from '../rollout/takeRolloutSnapshot';
import type { RolloutSnapshot } from '../compliance/rolloutSnapshotTypes';
import type { FleetSnapshotSource } from '../compliance/fleetSnapshotTypes';
import { waitForFleetSnapshot } from '../lookup/waitForFleetSnapshot';
import type { ScheduledJob } from './scheduler';

/** The app's periodic jobs, each also callable directly (tests, a future "run now"). */
export interface AppJobs {
  /** Checks the connector and posts an alert or recovery card when its health changed. */
  checkConnector(now?: Date): Promise<ConnectorCheck>;
  /** Today's rollout snapshot, unless today's scheduled one exists; then the digest, if on. */
  rolloutSnapshot(now?: Date): Promise<RolloutSnapshot | null>;
  scheduled: ScheduledJob[];
}

export interface AppJobDeps {
  config: Pick<AppConfig, 'alerts' | 'inventory' | 'rollout'>;
  /** The connector check's client, alert state and notifier. */
  connector: Omit<CheckConnectorDeps, 'logger'>;
  /** The fleet snapshot's diagnoses and the stored rollout snapshots, for the daily snapshot and its digest card. */
  rollout: RolloutCardDeps;
  /** The fleet snapshot the daily snapshot is taken from. */
  fleet: FleetSnapshotSource;
  /** How long the daily snapshot waits for the first fleet build (default 60 min). */
  fleetWaitMs?: number;
  /** Reloads this instance's inventory index (src/lookup/inventoryIndex). */
  inventory: { refresh(): Promise<void> };
  /** Where the digest goes. */
  notifier: Pick<Notifier, 'postToAdminChannel'>;
  logger: Logger;
}

/**
 * Builds the jobs from their deps. The daily snapshot runs at `ROLLOUT_SNAPSHOT_HOUR` (UTC)
 * and, after a restart past that hour, once at start — but only if today's scheduled snapshot
 * is missing (one taken on demand earlier in the day does not count), so a restart does not
 * post a second digest.
 */
export function scheduledJobs(deps: AppJobDeps): AppJobs {
  const { config, rollout, notifier, logger } = deps;
  const jobs: Omit<AppJobs, 'scheduled'> = {
    checkConnector: (now = new Date()) =>
      checkConnector({ ...deps.connector, logger: logger.child({ job: 'connector-check' }) }, now),
    async rolloutSnapshot(now = new Date()) {
      const existing = await rollout.store.getSnapshot(utcDay(now));
      if (existing && new Date(existing.takenAt).getUTCHours() >= config.rollout.snapshotHourUtc) return null;
      // During the first fleet build this waits for it (bounded): this instance claimed today's
      // due time, so skipping would leave the day without its trend point and digest.
      const fleet = await waitForFleetSnapshot(deps.fleet, { timeoutMs: deps.fleetWaitMs ?? 60 * 60_000 });
      const snapshot = await takeRolloutSnapshot(rollout, fleet, now);
      if (config.rollout.dailyDigest)
        await notifier.postToAdminChannel(await rolloutCard(rollout, fleet, now));
      return snapshot;
    },
  };
  return {
    ...jobs,
    scheduled: [
      {
        name: 'connector-check',
        schedule: { everyMs: config.alerts.connectorCheckMinutes * 60_000 },
        run: (now) => jobs.checkConnector(now),
      },
      ...(config.inventory.refreshMinutes > 0
        ? [
            {
              name: 'inventory-index',
              schedule: { everyMs: config.inventory.refreshMinutes * 60_000 },
              // Each instance keeps its own copy in memory.
              perInstance: true,
              run: () => deps.inventory.refresh(),
            },
          ]
        : []),
      {
        name: 'rollout-snapshot',
        schedule: { dailyAtHourUtc: config.rollout.snapshotHourUtc, catchUpOnStart: true },
        run: (now) => jobs.rolloutSnapshot(now),
      },
    ],
  };
}
