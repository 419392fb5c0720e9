/** Docker's wildcards as regular expressions. */
const GLOB: Record<string, string> = { '**/': '(?:.*/)?', '**': '.*', '*': '[^/]*', '?': '[^/]' };

/**
 * Whether `.dockerignore` keeps a path (relative to the build context, `/`-separated) out of the
 * context: the last matching pattern wins, `!` re-includes, a pattern matching a folder covers
 * everything under it. Patterns use `*` (within one path segment), `?` and `**` (any depth), as
 * Docker's matcher does; character classes are not supported.
 */
export function dockerIgnored(dockerignore: string, file: string): boolean {
  const patterns = dockerignore
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const parts = file.split('/');
  const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let ignored = false;
  for (const p of patterns) {
    const negated = p.startsWith('!');
    const body = p.replace(/^!/, '').replace(/^\/+/, '').replace(/\/+$/, '');
    const re = new RegExp(
      `^${body
        .split(/(\*\*\/?|\*|\?)/)
        .map((t) => GLOB[t] ?? t.replace(/[.+^${}()|[\]\\]/g, '\\$&'))
        .join('')}$`,
    );
    if (candidates.some((c) => re.test(c))) ignored = !negated;
  }
  return ignored;
}
