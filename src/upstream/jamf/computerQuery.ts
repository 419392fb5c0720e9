import type { JamfComputer } from '../../compliance/types';
import { rsqlAnd, rsqlEquals } from './rsql';

/** Look-ups people ask for; several fields are AND-ed. Values match exactly, ignoring case. */
export interface JamfComputerQuery {
  serial?: string;
  name?: string;
  userEmail?: string;
  username?: string;
}

const FIELDS: Record<keyof JamfComputerQuery, [rsqlField: string, read: (c: JamfComputer) => string | null]> =
  {
    serial: ['hardware.serialNumber', (c) => c.serialNumber],
    name: ['general.name', (c) => c.name],
    userEmail: ['userAndLocation.email', (c) => c.email],
    username: ['userAndLocation.username', (c) => c.username],
  };

function terms(q: JamfComputerQuery): [keyof JamfComputerQuery, string][] {
  return (Object.keys(FIELDS) as (keyof JamfComputerQuery)[]).flatMap((k) => {
    const v = q[k]?.trim();
    return v ? [[k, v] as [keyof JamfComputerQuery, string]] : [];
  });
}

/** The RSQL filter for a query, every value quoted and escaped; '' when the query is empty. */
export function computerFilter(q: JamfComputerQuery): string {
  return rsqlAnd(...terms(q).map(([k, v]) => rsqlEquals(FIELDS[k][0], v)));
}

/**
 * Exact check of a computer against the query. Jamf Pro reads `*` as a wildcard even in a quoted
 * value, so results for a value containing `*` are filtered again with this.
 */
export function matchesComputerQuery(c: JamfComputer, q: JamfComputerQuery): boolean {
  return terms(q).every(([k, v]) => (FIELDS[k][1](c) ?? '').toLowerCase() === v.toLowerCase());
}

/** Whether the query has any value at all. */
export function isEmptyComputerQuery(q: JamfComputerQuery): boolean {
  return terms(q).length === 0;
}
