export {
  JamfClient,
  DEFAULT_COMPUTER_SECTIONS,
  type JamfClientOptions,
  type JamfInventorySection,
} from './jamfClient';
export { computerFilter, matchesComputerQuery, type JamfComputerQuery } from './computerQuery';
export type {
  JamfSmartGroup,
  JamfSmartGroupCriterion,
  JamfSmartGroupInput,
  JamfSmartGroupSummary,
} from './jamfSmartGroup';
export {
  rsqlAnd,
  rsqlEquals,
  rsqlIn,
  rsqlNotEquals,
  rsqlOr,
  rsqlQuote,
  hasRsqlWildcard,
  reportedSince,
  computerIdIn,
} from './rsql';
export type { JamfFleetReads } from './jamfFleetReads';
