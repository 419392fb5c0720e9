/** A simulator answer: status and JSON body (undefined = no body). */
export interface SimulatorResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Jamf Pro's error body (`ApiError`): `{httpStatus, errors: [{code, description, id, field}]}`. */
export function jamfApiError(status: number, code: string, description: string, field = ''): SimulatorResult {
  return { status, body: { httpStatus: status, errors: [{ code, description, id: '0', field }] } };
}
