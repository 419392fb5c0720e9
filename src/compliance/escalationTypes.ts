/** A person's request for help, posted to the admin channel ("Contact IT"). */
export interface Escalation {
  id: number;
  /** The person's Entra object id (else their Teams id). */
  userKey: string;
  /** `YYYY-MM-DD` (UTC): at most one open escalation per person per day. */
  day: string;
  /** `open` until IT handles it; `failed` when it could not be posted (it then does not count). */
  status: 'open' | 'failed';
  createdAt: string;
  userName: string | null;
  userUpn: string | null;
  /** Where the escalation card was posted, once it was. */
  posted: { conversationId: string; activityId: string | null } | null;
}
