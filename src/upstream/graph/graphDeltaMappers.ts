import { z } from 'zod';
import { UpstreamError } from '../../errors';
import type { GraphDeltaPage, GroupMembersDelta } from './graphDeltaTypes';
import { parse } from './graphMappers';

const removedSchema = z.object({ reason: z.string().optional() }).passthrough();

const deltaPageSchema = z.object({
  value: z.array(z.record(z.string(), z.unknown())),
  '@odata.nextLink': z.string().optional(),
  '@odata.deltaLink': z.string().optional(),
});

const memberSchema = z.object({
  '@odata.type': z.string().optional(),
  id: z.string(),
  '@removed': removedSchema.optional(),
});

const groupItemSchema = z.object({
  id: z.string(),
  '@removed': removedSchema.optional(),
  'members@delta': z.array(memberSchema).optional(),
});

/**
 * A delta page's items split into present ones (mapped) and removed ones (`@removed`: ids only).
 * A page with neither link, or with both, is not a delta page: Graph always sends exactly one.
 */
export function toDeltaPage<T>(
  raw: unknown,
  what: string,
  map: (item: unknown) => T,
  /** Also map removed items (groups: a deleted group is in `removed` and an item with `groupRemoved`). */
  mapRemoved = false,
): GraphDeltaPage<T> {
  const p = parse(deltaPageSchema, raw, what);
  const nextLink = p['@odata.nextLink'] ?? null;
  const deltaLink = p['@odata.deltaLink'] ?? null;
  if ((nextLink === null) === (deltaLink === null)) {
    throw new UpstreamError(
      'graph',
      'bad_response',
      `Microsoft Graph sent a ${what} page without exactly one of nextLink and deltaLink`,
    );
  }
  const items: T[] = [];
  const removed: string[] = [];
  for (const item of p.value) {
    if (item['@removed'] !== undefined) {
      const id = item.id;
      if (typeof id !== 'string')
        throw new UpstreamError(
          'graph',
          'bad_response',
          `Microsoft Graph sent a removed ${what} item without an id`,
        );
      removed.push(id);
      if (mapRemoved) items.push(map(item));
    } else items.push(map(item));
  }
  return { items, removed, nextLink, deltaLink };
}

const MEMBER_TYPES: Record<string, 'user' | 'group'> = {
  '#microsoft.graph.user': 'user',
  '#microsoft.graph.group': 'group',
};

/** One `groups/delta?$select=members` item: its `members@delta` as added and removed member ids. */
export function toGroupMembersDelta(raw: unknown): GroupMembersDelta {
  const g = parse(groupItemSchema, raw, 'group delta item');
  const added: GroupMembersDelta['added'] = [];
  const removed: string[] = [];
  for (const m of g['members@delta'] ?? []) {
    if (m['@removed'] !== undefined) removed.push(m.id);
    else added.push({ id: m.id, type: MEMBER_TYPES[m['@odata.type'] ?? ''] ?? 'other' });
  }
  return { groupId: g.id, added, removed, groupRemoved: g['@removed'] !== undefined };
}
