import type {
  RemediationKind,
  RemediationRequest,
  RemediationResult,
  RemediationState,
  StoredRemediation,
} from '../compliance/remediationTypes';
import { iso, json, type Instant, type Json } from './rowMappers';

/** A `remediations` row as both databases return it (migration 11). */
export interface RemediationRow {
  key: string;
  kind: RemediationKind;
  computer_id: string;
  mac_name: string;
  request: Json<RemediationRequest>;
  created_at: Instant;
  created_by: Json<StoredRemediation['createdBy']>;
  state: RemediationState;
  result: Json<RemediationResult> | null;
  updated_at: Instant;
}

export const toRemediation = (r: RemediationRow): StoredRemediation => ({
  key: r.key,
  kind: r.kind,
  computerId: r.computer_id,
  macName: r.mac_name,
  request: json(r.request),
  createdAt: iso(r.created_at),
  createdBy: json(r.created_by),
  state: r.state,
  result: r.result === null ? null : json(r.result),
  updatedAt: iso(r.updated_at),
});

/** `key, kind, computer_id, mac_name, request, created_at, created_by` (state `planned`, updated_at = created_at). */
export const remediationParams = (
  r: Omit<StoredRemediation, 'state' | 'result' | 'updatedAt'>,
): unknown[] => [
  r.key,
  r.kind,
  r.computerId,
  r.macName,
  JSON.stringify(r.request),
  r.createdAt,
  JSON.stringify(r.createdBy),
];
