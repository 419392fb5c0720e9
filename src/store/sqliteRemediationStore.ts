import type Database from 'better-sqlite3';
import type { RemediationStore } from './ports/remediationStore';
import { remediationParams, toRemediation, type RemediationRow } from './remediationRows';
import { planCutoff } from './retention';

/** `RemediationStore` on the SQLite file (see the port): each transition is one conditional statement. */
export function sqliteRemediationStore(db: Database.Database): RemediationStore {
  return {
    async saveRemediation(r) {
      db.prepare(
        `INSERT INTO remediations (key, kind, computer_id, mac_name, request, created_at, created_by, state, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'planned', ?)`,
      ).run(...remediationParams(r), r.createdAt);
      db.prepare('DELETE FROM remediations WHERE created_at < ?').run(planCutoff(r.createdAt));
    },
    async getRemediation(key) {
      const row = db.prepare('SELECT * FROM remediations WHERE key = ?').get(key) as
        RemediationRow | undefined;
      return row ? toRemediation(row) : null;
    },
    async claimRemediation(key, at) {
      const info = db
        .prepare(
          `UPDATE remediations SET state = 'running', updated_at = ? WHERE key = ? AND state = 'planned'`,
        )
        .run(at, key);
      return info.changes === 1;
    },
    async finishRemediation(key, result, at) {
      db.prepare('UPDATE remediations SET state = ?, result = ?, updated_at = ? WHERE key = ?').run(
        result.outcome,
        JSON.stringify(result),
        at,
        key,
      );
    },
  };
}
