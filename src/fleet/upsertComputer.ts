import type { JamfComputer } from '../compliance/types';
import type { FleetSourceSet } from './fleetSourceSet';
import { joinInputs } from './joinInputs';
import { slimComputer, type SlimCriteria } from './slimComputer';

/** What the join matches a Mac by: its name and its user as Jamf records them. */
const identityOf = joinInputs.computer;

/**
 * Stores a computer read from Jamf (slimmed) and says what changed: `identity` for a new Mac or
 * one whose name or user changed — only those can need Jamf's compliance info again (at 50,000
 * Macs, re-asking for every Mac that merely reported inventory would cost a request each) —
 * `facts` for anything else, `none` when nothing did.
 */
export function upsertComputer(
  sources: FleetSourceSet,
  computer: JamfComputer,
  criteria: SlimCriteria,
): 'identity' | 'facts' | 'none' {
  const before = sources.get('computer', computer.id);
  const slim = slimComputer(computer, criteria);
  if (!sources.upsert('computer', computer.id, slim)) return 'none';
  return before === undefined || identityOf(before) !== identityOf(slim) ? 'identity' : 'facts';
}
