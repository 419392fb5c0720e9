import type { FleetBuildState } from '../compliance/fleetSnapshotTypes';
import { formatWhen } from './formatDate';
import { percentBar } from './rolloutCardModel';

/** The `fleetBuilding` template's model: the cold build's progress, no error styling. */
export interface FleetBuildingCardModel {
  title: string;
  /** "Building the fleet picture: 23,000 of 50,000 Macs" */
  progress: string;
  /** "▇▇▇▇░░░░░░ 46%" (empty while the total is unknown). */
  bar: string;
  phase: string;
  started: string;
  note: string;
}

const count = (n: number): string => n.toLocaleString('en-US');

/** "23,000 of 50,000 Macs" (or "23,000 Macs so far" while Jamf has not said how many there are). */
export function buildProgressText(progress: FleetBuildState['progress']): string {
  const { macsRead, macsTotal } = progress;
  return macsTotal === null
    ? `${count(macsRead)} Mac${macsRead === 1 ? '' : 's'} so far`
    : `${count(Math.min(macsRead, macsTotal))} of ${count(macsTotal)} Macs`;
}

/**
 * The card a fleet-wide command answers with while the first fleet snapshot is being built: how
 * far it is, in which phase, since when. The message is updated in place until the real answer
 * replaces it, so it says so instead of asking the admin to try again.
 */
export function fleetBuildingCardModel(
  build: { progress: FleetBuildState['progress']; startedAt: Date },
  /** `stopped`: the message stops updating (the build takes longer than a command waits). */
  opts: { now: Date; command: string; stopped?: boolean },
): FleetBuildingCardModel {
  const { macsRead, macsTotal } = build.progress;
  const percent = macsTotal ? Math.max(0, Math.min(100, Math.floor((macsRead / macsTotal) * 100))) : null;
  return {
    title: 'Building the fleet picture',
    progress: `Building the fleet picture: ${buildProgressText(build.progress)}`,
    bar: percent === null ? '' : `${percentBar(percent)} ${percent}%`,
    phase: `Now: ${build.progress.phase}`,
    started: `Started ${formatWhen(build.startedAt.toISOString(), opts.now)}`,
    note: opts.stopped
      ? `The first read of the whole fleet is taking longer than usual; this message is no longer updated. Type **${opts.command}** again in a few minutes.`
      : `This is the first read of the whole fleet; later answers come from it in under a second. This message turns into the ${opts.command} answer when it is done.`,
  };
}
