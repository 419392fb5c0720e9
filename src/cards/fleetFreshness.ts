import { describeDuration } from '../compliance/describeDuration';

/**
 * "Fleet picture as of 4 minutes ago": how old the fleet snapshot behind a card is (its last
 * sync), so an admin knows whether to press Refresh. A snapshot stamped a little ahead of this
 * instance's clock reads "less than a minute ago".
 */
export function fleetFreshness(asOf: Date, now: Date): string {
  return `Fleet picture as of ${describeDuration(now.getTime() - asOf.getTime())} ago`;
}
