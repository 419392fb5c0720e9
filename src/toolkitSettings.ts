/**
 * The Microsoft 365 Agents Toolkit's names for our settings (what its env files, Bicep and
 * templates write): each is read when ours is unset, and both set to different values is an
 * error, so a bot deployed with the Toolkit's names never starts in local mode by mistake.
 * `BOT_DOMAIN` is a host name: it becomes `https://BOT_DOMAIN`.
 */
export const TOOLKIT_SETTINGS = {
  BOT_ID: 'MICROSOFT_APP_ID',
  BOT_PASSWORD: 'MICROSOFT_APP_PASSWORD',
  BOT_TENANT_ID: 'MICROSOFT_APP_TENANT_ID',
  BOT_TYPE: 'MICROSOFT_APP_TYPE',
  BOT_ENDPOINT: 'PUBLIC_URL',
  BOT_DOMAIN: 'PUBLIC_URL',
} as const;

/**
 * The environment with the Agents Toolkit's names (TOOLKIT_SETTINGS) copied to ours where ours
 * are unset. A Toolkit name whose value differs from ours is a problem: which one is meant
 * cannot be known, and guessing could start the bot with the wrong identity.
 */
export function withToolkitSettings(env: NodeJS.ProcessEnv): { env: NodeJS.ProcessEnv; problems: string[] } {
  const out: NodeJS.ProcessEnv = { ...env };
  const problems: string[] = [];
  const set = (v: string | undefined): v is string => v !== undefined && v.trim() !== '';
  for (const [theirs, ours] of Object.entries(TOOLKIT_SETTINGS)) {
    const raw = env[theirs];
    if (!set(raw)) continue;
    // The Toolkit's BOT_ENDPOINT is the bot's base URL; its messaging endpoint is that plus /api/messages.
    const value =
      theirs === 'BOT_DOMAIN'
        ? `https://${raw
            .trim()
            .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
            .replace(/[/?#].*$/, '')}`
        : theirs === 'BOT_ENDPOINT'
          ? raw.trim().replace(/\/api\/messages\/?$/i, '')
          : raw.trim();
    const current = out[ours];
    if (!set(current)) {
      out[ours] = value;
      continue;
    }
    const same =
      ours === 'PUBLIC_URL'
        ? sameHost(current, value)
        : ours === 'MICROSOFT_APP_TYPE'
          ? current.trim().toLowerCase() === value.toLowerCase()
          : // App and tenant ids are GUIDs: the same id in another case is the same id.
            /^[0-9a-f-]{36}$/i.test(value)
            ? current.trim().toLowerCase() === value.toLowerCase()
            : current.trim() === value;
    if (!same) {
      // Never the values: BOT_PASSWORD is a secret.
      problems.push(
        `${theirs}: differs from ${ours} — ${theirs} is the Agents Toolkit's name for ${ours}; set only ${ours} (or give both the same value)`,
      );
    }
  }
  return { env: out, problems };
}

function sameHost(a: string, b: string): boolean {
  try {
    return new URL(a).host.toLowerCase() === new URL(b).host.toLowerCase();
  } catch {
    return false;
  }
}
