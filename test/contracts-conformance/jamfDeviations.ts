import type { JamfSimRoute } from '../../demo/jamfSimRoutes';

/**
 * Statuses the Jamf simulator answers that the 11.30.1 contracts do not document for that
 * operation, each with why it is answered anyway (what a real Jamf Pro does). The conformance
 * suite accepts an undocumented status only when it is listed here, and then still requires the
 * body Jamf sends with it (an `ApiError`, or the OAuth error for the token endpoint).
 * docs/contracts.md repeats this list.
 */
export const JAMF_UNDOCUMENTED_STATUSES: Partial<Record<JamfSimRoute, Record<number, string>>> = {
  'POST /api/v1/oauth/token': {
    401: 'A wrong client secret is `401 invalid_client` (RFC 6749 §5.2); the contract documents only 200 and 400.',
  },
  'GET /api/v4/computers-inventory': {
    400: 'A malformed RSQL filter, an unknown filter/sort field or a bad page-size is 400 with an ApiError on a real server; the contract documents only 200.',
  },
  'GET /api/v3/computer-groups/smart-groups': {
    400: 'A malformed RSQL filter is 400 with an ApiError on a real server; the contract documents only 200.',
  },
  'GET /api/v1/conditional-access/device-compliance-information/computer/{id}': {
    404: 'An unknown computer id is 404 with an ApiError; the contract documents only 200.',
  },
  'GET /JSSResource/webhooks/id/{id}': {
    404: 'The Classic swagger documents only 200 for every operation; an unknown id is 404.',
  },
  'POST /JSSResource/webhooks/id/{id}': {
    201: 'Classic API writes answer 201 Created with `<webhook><id>…</id></webhook>`; the swagger documents only 200.',
    400: 'A body that is not the documented `<webhook>` XML is 400 on a real server (an HTML page there; the simulator sends an ApiError).',
    409: 'A webhook name already taken is 409 Conflict ("Duplicate name") on a real server.',
  },
  'PUT /JSSResource/webhooks/id/{id}': {
    201: 'Classic API writes answer 201 Created with `<webhook><id>…</id></webhook>`; the swagger documents only 200.',
    400: 'A body that is not the documented `<webhook>` XML is 400 on a real server (an HTML page there; the simulator sends an ApiError).',
    404: 'An unknown id is 404.',
  },
  'POST /api/v1/computers/{id}/recalculate-smart-groups': {
    404: 'An unknown computer id is 404 with an ApiError (INVALID_ID); the contract documents only 200 and 400 ("smart group not found").',
  },
  'GET /JSSResource/policies/id/{id}': {
    404: 'The Classic swagger documents only 200 ("No response was specified") for every operation; an unknown id is 404.',
  },
};

/**
 * Every route behind a bearer token answers 401 with an ApiError when the token is missing,
 * forged or expired; the contract documents 401 only for `POST /v1/auth/token`.
 */
export const JAMF_UNDOCUMENTED_401 =
  'Every bearer-protected route answers 401 (ApiError INVALID_TOKEN) to a missing or expired token; the contract documents 401 only for POST /v1/auth/token.';
