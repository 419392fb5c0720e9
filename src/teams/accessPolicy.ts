import type { AppConfig } from '../config';
import type { Caller } from '../commands/commandTypes';

/** Decides who may use the bot at all (tenant) and who is an admin. */
export interface AccessPolicy {
  /** Is this tenant allowed to talk to the bot? */
  tenantAllowed(tenantId: string | null): boolean;
  isAdmin(caller: Omit<Caller, 'isAdmin'>): Promise<boolean>;
}

/**
 * Admins are the Entra object ids listed in config (the demo admin in demo mode). Anyone else is
 * an end user; an unknown caller is never an admin — default deny.
 */
export function configAccessPolicy(config: Pick<AppConfig, 'tenantId' | 'access'>): AccessPolicy {
  const admins = new Set(config.access.adminUserIds.map((id) => id.toLowerCase()));
  return {
    tenantAllowed: (tenantId) =>
      tenantId !== null && tenantId.toLowerCase() === config.tenantId.toLowerCase(),
    isAdmin: async (caller) => caller.aadObjectId !== null && admins.has(caller.aadObjectId.toLowerCase()),
  };
}
