/**
 * Builds Jamf Pro `filter` expressions (RSQL) from values people type. Every value is quoted and
 * `\` and `"` are backslash-escaped, so whatever the input — `"),general.name==*`, `' or 1 eq 1`,
 * emoji, ten kilobytes — it reaches the server as one literal value of one comparison. The one
 * thing quoting cannot neutralise is `*`: Jamf Pro treats it as a wildcard even inside quotes, so
 * callers that want an exact match check `hasRsqlWildcard` and filter the results themselves.
 */

const FIELD = /^[A-Za-z][A-Za-z0-9_.]*$/;

/** A double-quoted RSQL value. */
export function rsqlQuote(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** `field=="value"`. */
export function rsqlEquals(field: string, value: string): string {
  return `${checkField(field)}==${rsqlQuote(value)}`;
}

/** `field!="value"`. */
export function rsqlNotEquals(field: string, value: string): string {
  return `${checkField(field)}!=${rsqlQuote(value)}`;
}

/** `field=in=("a","b")`. */
export function rsqlIn(field: string, values: readonly string[]): string {
  if (values.length === 0) throw new Error('rsqlIn needs at least one value');
  return `${checkField(field)}=in=(${values.map(rsqlQuote).join(',')})`;
}

/**
 * `general.reportDate>="2026-08-01T09:30:00.000Z"`: Macs whose last inventory report is at or
 * after `since` — the fleet sync's incremental read. The instant is written in UTC with `Z` (and
 * milliseconds), the form Jamf Pro's filter accepts; a numeric offset would be refused.
 */
export function reportedSince(since: string | Date): string {
  const at = since instanceof Date ? since : new Date(since);
  if (Number.isNaN(at.getTime())) throw new Error(`reportedSince: not a date: ${String(since)}`);
  return `general.reportDate>=${rsqlQuote(at.toISOString())}`;
}

/**
 * `id=in=(1,2,3)`: the named computers in one listing. Jamf ids are numbers; anything else is
 * refused here (it would change the filter), and so is an empty list (Jamf Pro would reject it).
 * Callers keep lists short enough for a URL (about 1,000 ids).
 */
export function computerIdIn(ids: readonly string[]): string {
  if (ids.length === 0) throw new Error('computerIdIn needs at least one id');
  const bad = ids.find((id) => !/^\d{1,18}$/.test(id));
  if (bad !== undefined) throw new Error(`not a Jamf Pro id: ${JSON.stringify(bad.slice(0, 40))}`);
  return `id=in=(${ids.join(',')})`;
}

/** Clauses joined with `;` (and), each parenthesised so an inner `,` cannot regroup them. */
export function rsqlAnd(...clauses: readonly string[]): string {
  return join(clauses, ';');
}

/** Clauses joined with `,` (or), each parenthesised. */
export function rsqlOr(...clauses: readonly string[]): string {
  return join(clauses, ',');
}

/** Whether Jamf Pro would read `value` as a wildcard pattern rather than an exact value. */
export function hasRsqlWildcard(value: string): boolean {
  return value.includes('*');
}

function join(clauses: readonly string[], op: string): string {
  const parts = clauses.filter((c) => c !== '');
  return parts.length === 1 ? (parts[0] as string) : parts.map((c) => `(${c})`).join(op);
}

function checkField(field: string): string {
  // Field names come from code, never from users; a bad one is a programming error.
  if (!FIELD.test(field)) throw new Error(`not an RSQL field name: ${field}`);
  return field;
}
