/** The same ids, in any order and case (Graph's object ids are case-insensitive GUIDs). */
export const sameIds = (a: readonly string[], b: readonly string[]): boolean => {
  const x = new Set(a.map((s) => s.toLowerCase()));
  return x.size === new Set(b.map((s) => s.toLowerCase())).size && b.every((s) => x.has(s.toLowerCase()));
};
