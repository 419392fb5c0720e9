// Everything jamf-compliance-bot needs in Azure, deployed by `atk provision` (the
// arm/deploy step of m365agents.yml, with azure.parameters.json filled from env/.env.<env>).
//
// No Microsoft secret to rotate: one user-assigned managed identity is the bot (the Azure Bot
// is `UserAssignedMSI` with its client id), reads Microsoft Graph (app roles granted to its
// service principal by the provision step after this one, scripts/grantGraphAppRoles.ts),
// pulls the image from the registry and reads the Key Vault secrets. The only secrets are the
// Jamf API client's and the database password, both kept in Key Vault.
//
// State lives in Azure Database for PostgreSQL, not SQLite on a file share: App Service's /home
// and Azure Files (the only persistent volumes Container Apps mounts) are SMB, SQLite's WAL mode
// needs shared memory SMB does not provide ("database is locked" is the well-known result), and a
// file share would pin the bot to one replica. PostgreSQL lets several replicas run and lets a
// new revision start before the old one stops.
//
// Outputs are UPPER_SNAKE because the Toolkit writes each one into env/.env.<env> under its own
// name, upper-cased; m365agents.yml reads them as ${{NAME}}.

@minLength(4)
@maxLength(16)
@description('Lowercase letters and digits; every resource name is derived from it (several must be globally unique).')
param resourceBaseName string

param location string = resourceGroup().location

@maxLength(42)
@description('The Azure Bot\'s display name.')
param botDisplayName string

@description('The Teams app (manifest) id, written by teamsApp/create: the bot finds itself in the org catalog by it.')
param teamsAppId string

@description('The Microsoft 365 tenant of the Teams app (teamsApp/create writes it). A UserAssignedMSI bot is single-tenant: this must be the tenant of the subscription.')
param teamsAppTenantId string

@description('The image to run, e.g. crjcb1a2b3c.azurecr.io/jamf-compliance-bot:20260101120000. Until the first `atk deploy` it is the placeholder below (env/.env.<env> starts with it), served on port 80 without probes.')
param containerImage string

@description('Your Jamf Pro URL, e.g. https://yourorg.jamfcloud.com')
param jamfUrl string

@description('The Jamf Pro API client id (Settings > API roles and clients).')
param jamfClientId string

@secure()
@description('That API client\'s secret: stored in Key Vault, never in the container app\'s settings.')
param jamfClientSecret string

@description('PostgreSQL administrator login (the bot connects as it and owns its database).')
param postgresAdminLogin string = 'botadmin'

@secure()
@minLength(16)
@description('PostgreSQL administrator password: stored in Key Vault inside DATABASE_URL.')
param postgresAdminPassword string

@description('PostgreSQL compute: Burstable B1ms is enough for one tenant\'s bot (about 50 connections).')
param postgresSkuName string = 'Standard_B1ms'

@description('Replicas: at least 1 always (the scheduler runs connector checks, snapshots and campaigns; scale-to-zero would stop them).')
@minValue(1)
param minReplicas int = 1

@minValue(1)
param maxReplicas int = 3

@secure()
@description('HMAC key for CSV download links, shared by all replicas (a new one on each provision only expires open links).')
param downloadSigningKey string = newGuid()

@description('Entra object ids of the bot\'s admins, comma-separated (the provision step fills in whoever runs it when env/.env.<env> leaves it empty).')
param adminUserIds string

@description('Other settings of .env.example as NAME=value pairs separated by semicolons, e.g. LOG_LEVEL=info;ADMIN_GROUP_ID=<guid>;ROLLOUT_DEADLINE=2026-12-31. Never empty: the Toolkit refuses an empty placeholder, so env/.env.<env> starts with LOG_LEVEL=info. Names are checked against src/config.ts by test/unit/azureBicep.test.ts.')
param botSettings string

var botPort = 3978
var appName = 'ca-${resourceBaseName}'
// The placeholder Microsoft publishes for new container apps; it listens on port 80.
var placeholderImage = 'mcr.microsoft.com/k8se/quickstart:latest'
var usePlaceholder = containerImage == placeholderImage
var databaseName = 'bot'

// Built-in role ids (Azure RBAC).
var acrPullRoleId = '7f951dda-4ed3-4680-a7ca-43fe172d538d'
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${resourceBaseName}'
  location: location
}

resource logs 'Microsoft.OperationalInsights/workspaces@2022-10-01' = {
  name: 'log-${resourceBaseName}'
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'cr${resourceBaseName}'
  location: location
  sku: { name: 'Basic' }
  properties: {
    // Pulls use the managed identity (AcrPull below); no admin user, no registry password.
    adminUserEnabled: false
  }
}

resource acrPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, identity.id, acrPullRoleId)
  scope: registry
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', acrPullRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-${resourceBaseName}'
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
  }
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, keyVaultSecretsUserRoleId)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: 'psql-${resourceBaseName}'
  location: location
  sku: { name: postgresSkuName, tier: 'Burstable' }
  properties: {
    version: '16'
    administratorLogin: postgresAdminLogin
    administratorLoginPassword: postgresAdminPassword
    // Password sign-in: the bot's pg pool takes a URL with a password (no Entra token refresh).
    authConfig: { activeDirectoryAuth: 'Disabled', passwordAuth: 'Enabled' }
    storage: { storageSizeGB: 32 }
    backup: { backupRetentionDays: 7, geoRedundantBackup: 'Disabled' }
    highAvailability: { mode: 'Disabled' }
    network: { publicNetworkAccess: 'Enabled' }
  }
}

resource botDatabase 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = {
  parent: postgres
  name: databaseName
  properties: { charset: 'UTF8', collation: 'en_US.utf8' }
}

// Kept simple: "allow Azure services" (0.0.0.0), so the container app reaches the server without
// a VNet. Connections are TLS with the server's certificate verified (sslmode=verify-full) and a
// password; for a private network, put the environment in a VNet and use a private endpoint.
resource allowAzure 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = {
  parent: postgres
  name: 'AllowAllAzureServicesAndResourcesWithinAzureIps'
  properties: { startIpAddress: '0.0.0.0', endIpAddress: '0.0.0.0' }
}

resource jamfSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'jamf-client-secret'
  properties: { value: jamfClientSecret }
}

resource databaseUrlSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'database-url'
  properties: {
    value: 'postgres://${uriComponent(postgresAdminLogin)}:${uriComponent(postgresAdminPassword)}@${postgres.properties.fullyQualifiedDomainName}:5432/${databaseName}?sslmode=verify-full'
  }
}

resource signingKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'download-signing-key'
  properties: { value: downloadSigningKey }
}

resource environment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: 'cae-${resourceBaseName}'
  location: location
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: logs.properties.customerId
        sharedKey: logs.listKeys().primarySharedKey
      }
    }
  }
}

// The container app's own address, known before it exists (its env vars need it: PUBLIC_URL).
var botDomain = '${appName}.${environment.properties.defaultDomain}'
var publicUrl = 'https://${botDomain}'

// Our setting names (src/config.ts), never the Toolkit's BOT_ID/BOT_PASSWORD/….
var baseSettings = [
  { name: 'MICROSOFT_APP_TYPE', value: 'UserAssignedMSI' }
  { name: 'MICROSOFT_APP_ID', value: identity.properties.clientId }
  { name: 'MICROSOFT_APP_TENANT_ID', value: identity.properties.tenantId }
  { name: 'TEAMS_APP_ID', value: teamsAppId }
  { name: 'TENANT_ID', value: teamsAppTenantId }
  // Graph through the same managed identity (msal-node ManagedIdentityApplication).
  { name: 'GRAPH_AUTH', value: 'managed-identity' }
  { name: 'GRAPH_MANAGED_IDENTITY_CLIENT_ID', value: identity.properties.clientId }
  { name: 'JAMF_URL', value: jamfUrl }
  { name: 'JAMF_CLIENT_ID', value: jamfClientId }
  { name: 'JAMF_CLIENT_SECRET', secretRef: 'jamf-client-secret' }
  { name: 'DATABASE_URL', secretRef: 'database-url' }
  { name: 'DOWNLOAD_SIGNING_KEY', secretRef: 'download-signing-key' }
  { name: 'PUBLIC_URL', value: publicUrl }
  { name: 'PORT', value: string(botPort) }
  { name: 'ADMIN_USER_IDS', value: adminUserIds }
]
var extraSettings = map(
  filter(split(botSettings, ';'), pair => contains(pair, '=')),
  pair => { name: trim(substring(pair, 0, indexOf(pair, '='))), value: trim(substring(pair, indexOf(pair, '=') + 1)) }
)
// A BOT_SETTINGS entry replaces the base setting of the same name (e.g. PUBLIC_URL for a custom
// domain) instead of adding a second variable with that name.
var extraNames = map(extraSettings, e => e.name)
var keptBase = filter(baseSettings, b => !contains(extraNames, b.name))
var settings = filter(concat(keptBase, extraSettings), s => contains(s, 'secretRef') || !empty(s.?value ?? ''))

resource app 'Microsoft.App/containerApps@2024-03-01' = {
  name: appName
  location: location
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  dependsOn: [acrPull, secretsUser]
  properties: {
    managedEnvironmentId: environment.id
    configuration: {
      // Several revisions could run together during an update; PostgreSQL makes that safe.
      activeRevisionsMode: 'Single'
      ingress: {
        external: true
        targetPort: usePlaceholder ? 80 : botPort
        transport: 'auto'
        allowInsecure: false
      }
      registries: [{ server: registry.properties.loginServer, identity: identity.id }]
      // Key Vault references, read with the managed identity (unversioned URIs: a rotated
      // secret reaches the app without a provision).
      secrets: [
        { name: 'jamf-client-secret', keyVaultUrl: jamfSecret.properties.secretUri, identity: identity.id }
        { name: 'database-url', keyVaultUrl: databaseUrlSecret.properties.secretUri, identity: identity.id }
        { name: 'download-signing-key', keyVaultUrl: signingKeySecret.properties.secretUri, identity: identity.id }
      ]
    }
    template: {
      containers: [
        {
          name: 'bot'
          image: usePlaceholder ? placeholderImage : containerImage
          resources: { cpu: json('0.5'), memory: '1Gi' }
          env: usePlaceholder ? [] : settings
          probes: usePlaceholder
            ? []
            : [
                {
                  type: 'Liveness'
                  httpGet: { path: '/healthz', port: botPort }
                  initialDelaySeconds: 10
                  periodSeconds: 30
                }
                {
                  type: 'Readiness'
                  httpGet: { path: '/readyz', port: botPort }
                  initialDelaySeconds: 5
                  periodSeconds: 10
                }
                {
                  // Migrations run before the bot listens: give a first start a minute.
                  type: 'Startup'
                  httpGet: { path: '/healthz', port: botPort }
                  periodSeconds: 5
                  failureThreshold: 12
                }
              ]
        }
      ]
      scale: {
        minReplicas: minReplicas
        maxReplicas: maxReplicas
        rules: [{ name: 'http', http: { metadata: { concurrentRequests: '50' } } }]
      }
    }
  }
}

// The Azure Bot: the managed identity is its app (no app registration, no client secret).
resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: 'bot-${resourceBaseName}'
  location: 'global'
  kind: 'azurebot'
  sku: { name: 'F0' }
  properties: {
    displayName: botDisplayName
    endpoint: '${publicUrl}/api/messages'
    msaAppType: 'UserAssignedMSI'
    msaAppId: identity.properties.clientId
    msaAppMSIResourceId: identity.id
    msaAppTenantId: identity.properties.tenantId
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: { isEnabled: true }
  }
}

// Written into env/.env.<env> by the Toolkit (upper-cased names); m365agents.yml and
// appPackage/manifest.json read them.
output BOT_ID string = identity.properties.clientId
output BOT_TENANT_ID string = identity.properties.tenantId
output BOT_DOMAIN string = botDomain
output BOT_ENDPOINT string = publicUrl
output AZURE_CONTAINER_REGISTRY_NAME string = registry.name
output AZURE_CONTAINER_REGISTRY_LOGIN_SERVER string = registry.properties.loginServer
output AZURE_CONTAINER_APP_NAME string = app.name
output AZURE_KEY_VAULT_NAME string = vault.name
output AZURE_POSTGRES_SERVER_NAME string = postgres.name
