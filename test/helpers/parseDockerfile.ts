/** One instruction of a Dockerfile: its keyword, flags (`--from=build` → `from: 'build'`) and arguments. */
export interface DockerInstruction {
  keyword: string;
  flags: Record<string, string>;
  args: string[];
  /** The arguments as written, continuation lines joined (for `RUN` and JSON forms). */
  raw: string;
}

/** A build stage: `FROM image AS name` and what follows it up to the next `FROM`. */
export interface DockerStage {
  name: string;
  image: string;
  instructions: DockerInstruction[];
}

/**
 * Just enough of Dockerfile syntax for tests that check what an image holds: comments, `\`
 * continuations, `--flag=value` options, `ARG` defaults substituted into `FROM`. Not a general
 * parser (no heredocs, no escape directive): a Dockerfile using those fails loudly here.
 */
export function parseDockerfile(text: string): DockerStage[] {
  const logical: string[] = [];
  let pending = '';
  for (const line of text.split('\n')) {
    if (/^\s*#/.test(line)) continue; // also inside a continued instruction, as Docker reads it
    const continued = /\\\s*$/.test(line);
    pending += (pending ? ' ' : '') + line.replace(/\\\s*$/, '').trim();
    if (!continued) {
      if (pending.trim()) logical.push(pending.trim());
      pending = '';
    }
  }
  if (pending.trim()) logical.push(pending.trim());

  const args: Record<string, string> = {};
  const stages: DockerStage[] = [];
  for (const line of logical) {
    const m = /^(\w+)\s+(.*)$/.exec(line);
    if (!m) throw new Error(`Dockerfile: cannot read "${line}"`);
    const keyword = m[1]!.toUpperCase();
    const raw = m[2]!;
    if (raw.includes('<<')) throw new Error(`Dockerfile: heredocs are not supported here: "${line}"`);
    const words = raw.split(/\s+/);
    const flags: Record<string, string> = {};
    while (words[0]?.startsWith('--')) {
      const [k, v = ''] = words.shift()!.slice(2).split('=');
      flags[k!] = v;
    }
    const expand = (s: string) => s.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a, b) => args[a ?? b] ?? '');
    if (keyword === 'ARG' && stages.length === 0) {
      const [k, v = ''] = words.join(' ').split('=');
      args[k!] = v;
      continue;
    }
    if (keyword === 'FROM') {
      const [image = '', as, name] = words.map(expand);
      stages.push({
        image,
        name: as?.toUpperCase() === 'AS' && name ? name : String(stages.length),
        instructions: [],
      });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`Dockerfile: ${keyword} before any FROM`);
    stage.instructions.push({ keyword, flags, args: words, raw: raw.replace(/^(--\S+\s+)*/, '') });
  }
  return stages;
}

/** The JSON (exec) form of `CMD`/`HEALTHCHECK CMD`, e.g. `["node", "dist/main.js"]`. */
export function execForm(raw: string): string[] {
  const json = raw.replace(/^CMD\s+/i, '');
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === 'string')) {
    throw new Error(`Dockerfile: not an exec form: ${raw}`);
  }
  return parsed;
}
