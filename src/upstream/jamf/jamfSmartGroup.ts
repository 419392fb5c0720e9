/** A smart computer group criterion, as Jamf Pro's v3 API carries it. */
export interface JamfSmartGroupCriterion {
  name: string;
  priority: number;
  andOr: 'and' | 'or';
  searchType: string;
  value: string;
  openingParen: boolean;
  closingParen: boolean;
}

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
