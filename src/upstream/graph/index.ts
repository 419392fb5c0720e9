/** Microsoft Graph client: what the rest of the bot imports. */
export { GraphClient, MAX_SEARCH_LENGTH, type GraphClientOptions } from './graphClient';
export type { ClientCertificateCredential } from './msalTokenProvider';
export type { FetchLike } from './fetchTypes';
export { createTrustingFetch, type TrustingFetch } from './createTrustingFetch';
export { MAX_BATCH_SIZE } from './runGraphBatch';
export {
  encodeODataComponent,
  odataEq,
  odataKeySegment,
  odataQuery,
  odataStartsWith,
  odataString,
} from './odata';
export type * from './graphTypes';
