/**
 * OData escaping for anything a person typed. Every literal the Graph client puts in a `$filter`
 * or a key segment goes through here: single quotes are doubled (`O'Brien` → `'O''Brien'`) so the
 * text stays one string literal, then the whole query value is URL-encoded so `&`, `#`, `+`, `%`
 * and friends cannot end the parameter early. Quoting and encoding are separate steps on purpose:
 * a filter is composed from quoted literals first and encoded once as a whole.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text that can be URL-encoded: lone UTF-16 surrogates (not valid Unicode) become U+FFFD. */
export function wellFormed(value: string): string {
  return value.replace(LONE_SURROGATE, '\uFFFD');
}

/** `O'Brien` → `'O''Brien'`: an OData string literal, not yet URL-encoded. */
export function odataString(value: string): string {
  return `'${wellFormed(value).replace(/'/g, "''")}'`;
}

/** URL-encodes a query value or path segment, including the characters `encodeURIComponent` leaves alone. */
export function encodeODataComponent(text: string): string {
  return encodeURIComponent(wellFormed(text)).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** A query string from OData options (`$filter`, `$select`, …); undefined values are left out. */
export function odataQuery(params: Record<string, string | number | boolean | undefined>): string {
  const parts = Object.entries(params)
    .filter((e): e is [string, string | number | boolean] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${encodeODataComponent(String(v))}`);
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}

/** `deviceId`, `x'y` → `(deviceId='x''y')` URL-encoded: an alternate-key path segment. */
export function odataKeySegment(property: string, value: string): string {
  return `(${property}=${encodeODataComponent(odataString(value))})`;
}

/** `property eq 'value'`, the value quoted. */
export function odataEq(property: string, value: string): string {
  return `${property} eq ${odataString(value)}`;
}

/** `property in ('a','b')`, each value quoted (Graph takes at most 15 values without advanced query). */
export function odataIn(property: string, values: readonly string[]): string {
  return `${property} in (${values.map(odataString).join(',')})`;
}

/** `startswith(property,'value')`, the value quoted. */
export function odataStartsWith(property: string, value: string): string {
  return `startswith(${property},${odataString(value)})`;
}
