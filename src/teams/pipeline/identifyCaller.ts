import type { Activity } from 'botbuilder';
import type { Caller } from '../../commands/commandTypes';
import type { Logger } from '../../log';
import type { AccessPolicy } from '../accessPolicy';
import { callerOf, conversationOf } from '../activityInfo';
import { errorResponse } from './invokeResponses';
import type { Step } from './runChain';
import type { AnyTurn } from './turn';

/**
 * Tenant check, then who the caller is and whether they are an admin here. Null = refused.
 * A foreign tenant's refusal goes to the log only, never to the audit table: anyone can make
 * Teams deliver such activities, and they must not be able to fill the table.
 */
export async function identify(
  access: AccessPolicy,
  activity: Partial<Activity>,
  log: Logger,
): Promise<Caller | null> {
  const base = callerOf(activity);
  if (!access.tenantAllowed(base.tenantId)) {
    log.warn(
      { tenantId: base.tenantId, from: base.teamsUserId, scope: conversationOf(activity).scope },
      'refused: activity from a tenant that is not ours',
    );
    return null;
  }
  return { ...base, isAdmin: await access.isAdmin(base, conversationOf(activity)) };
}

/** The first step: only our tenant gets further; an invoke from elsewhere gets 403. */
export function identifyCaller(access: AccessPolicy): Step<AnyTurn> {
  return async (turn, next) => {
    turn.caller = await identify(access, turn.context.activity, turn.log);
    if (turn.caller) return next();
    if (turn.kind === 'action')
      turn.result = errorResponse(403, 'Forbidden', 'This bot only serves its own tenant.');
    if (turn.kind === 'extension')
      turn.result = {
        status: 403,
        body: { code: 'Forbidden', message: 'This bot only serves its own tenant.' },
      };
  };
}
