import pLimit from 'p-limit';
import type { EntraUser } from '../compliance/types';
import type { GraphClient } from '../upstream/graph/graphClient';
import { toEntraUser, toPage } from '../upstream/graph/graphMappers';
import type { GraphBatchRequest } from '../upstream/graph/graphTypes';
import { odataEq, odataQuery } from '../upstream/graph/odata';
import { MAX_BATCH_SIZE } from '../upstream/graph/runGraphBatch';

export interface UsersByEmail {
  /** Lower-cased address → the user (UPN match preferred, as `GraphClient.findUser`), or null. */
  found: Map<string, EntraUser | null>;
  /** `$batch` round trips. */
  batches: number;
}

/** Longer than any UPN or address Entra stores (`GraphClient`'s own limit). */
const MAX_ADDRESS_LENGTH = 1024;

/**
 * `GraphClient.findUser` for many addresses at once: 20 look-ups per `$batch`, `concurrency`
 * batches in flight (each `GraphClient.batch` call sends its batches one after another, so the
 * chunks are handed to it separately). A failed step fails the whole call with its typed error;
 * `signal` stops it from sending more batches.
 */
export async function findUsersByEmail(
  graph: Pick<GraphClient, 'batch'>,
  addresses: Iterable<string>,
  opts: { concurrency?: number; signal?: AbortSignal } = {},
): Promise<UsersByEmail> {
  const found = new Map<string, EntraUser | null>();
  const wanted: string[] = [];
  for (const raw of addresses) {
    const key = raw.trim().toLowerCase();
    if (key === '' || found.has(key)) continue;
    found.set(key, null);
    if (key.length <= MAX_ADDRESS_LENGTH) wanted.push(key);
  }
  const chunks: string[][] = [];
  for (let i = 0; i < wanted.length; i += MAX_BATCH_SIZE) chunks.push(wanted.slice(i, i + MAX_BATCH_SIZE));
  const limit = pLimit(Math.max(1, opts.concurrency ?? 4));
  await Promise.all(
    chunks.map((chunk) =>
      limit(async () => {
        opts.signal?.throwIfAborted();
        const results = await graph.batch(chunk.map(userRequest));
        chunk.forEach((key, i) => {
          const r = results[i];
          if (r?.error) throw r.error;
          const users = toPage(r?.body, 'user list').value.map(toEntraUser);
          found.set(key, users.find((u) => u.userPrincipalName.toLowerCase() === key) ?? users[0] ?? null);
        });
      }),
    ),
  );
  return { found, batches: chunks.length };
}

function userRequest(address: string): GraphBatchRequest {
  const query = odataQuery({
    $filter: `${odataEq('userPrincipalName', address)} or ${odataEq('mail', address)}`,
    $select: 'id,userPrincipalName,displayName,mail',
    $top: 10,
  });
  return { method: 'GET', url: `/users${query}` };
}
