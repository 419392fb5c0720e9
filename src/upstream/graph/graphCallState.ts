/**
 * Per-call scratch space that rides through the Graph SDK's middleware chain as a fetch option.
 * The SDK rewraps any error thrown inside the chain as a generic `GraphError`; this keeps the
 * original (typed) error and the bearer token that was sent, so a 401 invalidates the right one.
 */
export interface GraphCallState {
  error?: unknown;
  bearer?: string;
}

/** The fetch-option key the state travels under; stripped before the real fetch. */
export const CALL_STATE_OPTION = 'jcbGraphCallState';
