import type { RemediationStore } from './ports/remediationStore';
import { remediationParams, toRemediation, type RemediationRow } from './remediationRows';
import { planCutoff } from './retention';

/** Runs one statement on the store's pool (after its migrations). */
type Query = <R extends object>(sql: string, params?: unknown[]) => Promise<R[]>;

/**
 * `RemediationStore` on PostgreSQL (see the port): the claim is one conditional `UPDATE`, so of
 * two instances handling the same press only one sends.
 */
export function pgRemediationStore(query: Query): RemediationStore {
  return {
    async saveRemediation(r) {
      await query(
        `INSERT INTO remediations (key, kind, computer_id, mac_name, request, created_at, created_by, state, updated_at)
         VALUES ($1, $2, $3, $4, $5::json, $6, $7::json, 'planned', $6)`,
        remediationParams(r),
      );
      await query('DELETE FROM remediations WHERE created_at < $1', [planCutoff(r.createdAt)]);
    },
    async getRemediation(key) {
      const [row] = await query<RemediationRow>('SELECT * FROM remediations WHERE key = $1', [key]);
      return row ? toRemediation(row) : null;
    },
    async claimRemediation(key, at) {
      const rows = await query(
        `UPDATE remediations SET state = 'running', updated_at = $1
         WHERE key = $2 AND state = 'planned' RETURNING 1 AS claimed`,
        [at, key],
      );
      return rows.length === 1;
    },
    async finishRemediation(key, result, at) {
      await query('UPDATE remediations SET state = $1, result = $2::json, updated_at = $3 WHERE key = $4', [
        result.outcome,
        JSON.stringify(result),
        at,
        key,
      ]);
    },
  };
}
