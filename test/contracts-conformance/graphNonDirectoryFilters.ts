import type { FilterClause } from '../../demo/graphFilterSupport';

/**
 * `$filter` clauses on resources that are not directory objects (so the advanced-query table does
 * not cover them), each as its own Graph v1.0 API reference page documents it. A client filter on
 * one of these types must be listed here with its source.
 */
export const NON_DIRECTORY_FILTERS: Readonly<Record<string, readonly (FilterClause & { source: string })[]>> =
  {
    'microsoft.graph.teamsApp': [
      {
        property: 'externalId',
        operator: 'eq',
        source:
          'https://learn.microsoft.com/graph/api/appcatalogs-list-teamsapps — "List applications with a given ID" ($filter=externalId eq \'…\')',
      },
    ],
    'microsoft.graph.userScopeTeamsAppInstallation': [
      {
        property: 'teamsApp/externalId',
        operator: 'eq',
        source:
          'https://learn.microsoft.com/graph/api/userteamwork-list-installedapps — "Get the names and other details of apps installed for the user" ($expand=teamsApp&$filter=teamsApp/externalId eq \'…\')',
      },
    ],
  };
