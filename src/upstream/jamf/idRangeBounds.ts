/**
 * Upper bounds splitting Jamf's computer ids into up to `ranges` keyset ranges for a parallel
 * listing: `(-∞, b0], (b0, b1], …, (bLast, ∞)`, taken from ids already known (the snapshot's)
 * so each range holds whole pages of `pageSize` ids. Ranges fixed in advance stay correct when
 * Macs are added or deleted meanwhile (each range still pages by keyset); only their balance
 * suffers. Fewer known ids than two pages: no bounds (one range).
 */
export function idRangeBounds(knownIds: readonly string[], pageSize: number, ranges: number): string[] {
  const sorted = knownIds.filter((id) => /^\d{1,18}$/.test(id)).sort((a, b) => Number(a) - Number(b));
  const pages = Math.ceil(sorted.length / pageSize);
  const n = Math.max(1, Math.min(Math.floor(ranges), pages));
  if (n < 2) return [];
  const pagesPerRange = Math.ceil(pages / n);
  const bounds: string[] = [];
  for (let i = 1; i < n; i++) {
    const at = i * pagesPerRange * pageSize - 1;
    if (at >= sorted.length - 1) break;
    bounds.push(sorted[at] as string);
  }
  return bounds;
}
