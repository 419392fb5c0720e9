import type { SmartGroupCriterionFacts } from '../../compliance/onboardingTypes';

/** A smart computer group criterion, as Jamf Pro's v3 API carries it (the domain's own shape). */
export type JamfSmartGroupCriterion = SmartGroupCriterionFacts;

/** A smart computer group as the list endpoint returns it (no criteria). */
export interface JamfSmartGroupSummary {
  id: string;
  name: string;
  description: string | null;
  siteId: string | null;
  membershipCount: number | null;
}

/** A smart computer group with its criteria. */
export interface JamfSmartGroup {
  id: string;
  name: string;
  description: string | null;
  siteId: string | null;
  criteria: JamfSmartGroupCriterion[];
}

/** What to create or write; priorities follow the list order, `andOr` defaults to `and`. */
export interface JamfSmartGroupInput {
  name: string;
  description?: string;
  siteId?: string | null;
  criteria: (Pick<JamfSmartGroupCriterion, 'name' | 'searchType' | 'value'> &
    Partial<Pick<JamfSmartGroupCriterion, 'andOr' | 'openingParen' | 'closingParen'>>)[];
}
