import type { AuditActor } from '../compliance/auditTypes';
import type { Caller } from './commandTypes';

/** Who did it, as the audit log and campaigns record a person. */
export const actorOf = (c: Caller): AuditActor => ({
  teamsUserId: c.teamsUserId,
  aadObjectId: c.aadObjectId,
  name: c.name,
});
