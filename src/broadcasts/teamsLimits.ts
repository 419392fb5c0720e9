import type { WindowLimit } from './requestPacer';

/**
 * Teams' Bot Connector limits (FACTS.md): per bot per conversation (send and create alike)
 * 7/1 s, 8/2 s, 60/30 s, 1800/3600 s; per app per tenant 50 requests/s.
 */
export const TEAMS_LIMITS: { appPerSecond: number; perConversation: WindowLimit[] } = {
  appPerSecond: 50,
  perConversation: [
    { limit: 7, windowMs: 1_000 },
    { limit: 8, windowMs: 2_000 },
    { limit: 60, windowMs: 30_000 },
    { limit: 1800, windowMs: 3_600_000 },
  ],
};
