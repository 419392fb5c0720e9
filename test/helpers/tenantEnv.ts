/** The settings of a real tenant (made-up values): with them the bot is in `tenant` mode. */
export const TENANT_ENV = {
  TENANT_ID: '6f1c2a7e-3d4b-4c8a-9e5f-000000000001',
  GRAPH_CLIENT_ID: 'graph-app',
  GRAPH_CLIENT_SECRET: 'graph-secret',
  JAMF_URL: 'https://yourorg.jamfcloud.com',
  JAMF_CLIENT_ID: 'jamf-client',
  JAMF_CLIENT_SECRET: 'jamf-secret',
  // Required in tenant mode while the CSV export is on (the default).
  PUBLIC_URL: 'https://bot.example.com',
};
