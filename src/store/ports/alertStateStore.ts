import type { AlertState } from '../../compliance/alertStateTypes';

/** The last known health of each watched thing, so an alert is posted once per problem. */
export interface AlertStateStore {
  getAlertState(key: string): Promise<AlertState | null>;
  saveAlertState(state: AlertState): Promise<void>;
}
