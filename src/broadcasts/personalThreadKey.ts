/**
 * The key a user's 1:1 with the bot is paced under. Teams names that one chat two ways: the Bot
 * Framework conversation id (`a:…`, in the user's own activities and returned by
 * `POST /v3/conversations`) and the Graph chat id (`19:…@unq.gbl.spaces`, which a proactive
 * install reads from `GET /users/{id}/teamwork/installedApps/{id}/chat` and the Bot Connector
 * accepts as the conversation id). Teams' per-thread limits count both as one thread, so the
 * dispatcher paces by the user (Entra object id, case-insensitive), whichever id it sends to.
 */
export function personalThreadKey(aadObjectId: string): string {
  return `personal:${aadObjectId.toLowerCase()}`;
}
