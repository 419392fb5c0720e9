import { z } from 'zod';

const account = z.looseObject({
  id: z.string().optional(),
  name: z.string().nullish(),
  aadObjectId: z.string().nullish(),
});

/**
 * The fields the bot reads, with the types the Bot Framework schema gives them; everything else
 * passes through untouched. botbuilder checks only that the body is an object, so an activity
 * whose `type` is an object or whose `conversation` is an array would otherwise fail deep inside
 * a turn (a 500) instead of being refused at the door (a 400 that says which field is wrong).
 */
const activityShape = z.looseObject({
  type: z.string().min(1).max(100),
  id: z.string().optional(),
  name: z.string().optional(),
  text: z.string().optional(),
  serviceUrl: z.string().optional(),
  channelId: z.string().optional(),
  replyToId: z.string().optional(),
  from: account.optional(),
  recipient: account.optional(),
  conversation: z.looseObject({ id: z.string(), tenantId: z.string().optional() }).optional(),
  channelData: z.looseObject({}).optional(),
  entities: z.array(z.looseObject({ type: z.string().optional() })).optional(),
  attachments: z.array(z.looseObject({})).optional(),
});

/** Null when the activity has the shape the bot relies on, else what is wrong (field names only). */
export function checkActivityShape(body: unknown): string | null {
  const parsed = activityShape.safeParse(body);
  if (parsed.success) return null;
  const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(body)'))].slice(0, 5);
  return `The activity is malformed: check ${fields.join(', ')}.`;
}
