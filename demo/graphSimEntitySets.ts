import { DIRECTORY_FILTER_SUPPORT } from './graphFilterSupport';

/**
 * What the simulated Graph knows about each type it serves: the property names (from the
 * v1.0 CSDL, base types included — a test keeps them in agreement with
 * `contracts/graph-v1.0.csdl.xml`), which of them `$filter` accepts, and what a plain GET returns.
 */
export interface EntitySetSpec {
  /** Qualified OData type, e.g. `microsoft.graph.device`. */
  type: string;
  /** Resource name in Graph's error messages (`Device`, `User`, …). */
  resource: string;
  properties: ReadonlySet<string>;
  /**
   * The properties `$filter` accepts. Directory objects (device, user, group, servicePrincipal)
   * take theirs from Microsoft's table in graphFilterSupport.ts, which also decides each operator.
   */
  filterable: ReadonlySet<string>;
  /** Properties a GET without `$select` returns; undefined: everything stored. */
  defaultSelect?: readonly string[];
  /** Directory objects need `ConsistencyLevel: eventual` for `$count`, `ne`, `not`, `endswith`. */
  directory: boolean;
}

const set = (names: string): ReadonlySet<string> => new Set(names.split(/\s+/).filter(Boolean));

/** A directory object's filterable properties: the rows of Microsoft's table, not a second list. */
const directoryFilterable = (type: keyof typeof DIRECTORY_FILTER_SUPPORT): ReadonlySet<string> =>
  new Set(Object.keys(DIRECTORY_FILTER_SUPPORT[type]));

export const DEVICE_SPEC: EntitySetSpec = {
  type: 'microsoft.graph.device',
  resource: 'Device',
  properties: set(`id deletedDateTime accountEnabled alternativeSecurityIds approximateLastSignInDateTime
    complianceExpirationDateTime deviceCategory deviceId deviceMetadata deviceOwnership deviceVersion displayName
    enrollmentProfileName enrollmentType isCompliant isManaged isManagementRestricted isRooted managementType
    manufacturer mdmAppId model onPremisesLastSyncDateTime onPremisesSecurityIdentifier onPremisesSyncEnabled
    operatingSystem operatingSystemVersion physicalIds profileType registrationDateTime systemLabels trustType`),
  filterable: directoryFilterable('device'),
  directory: true,
};

export const USER_SPEC: EntitySetSpec = {
  type: 'microsoft.graph.user',
  resource: 'User',
  properties:
    set(`id deletedDateTime aboutMe accountEnabled ageGroup assignedLicenses assignedPlans authorizationInfo
    birthday businessPhones city companyName consentProvidedForMinor country createdDateTime creationType
    customSecurityAttributes department deviceEnrollmentLimit displayName employeeHireDate employeeId
    employeeLeaveDateTime employeeOrgData employeeType externalUserState externalUserStateChangeDateTime faxNumber
    givenName hireDate identities identityParentId imAddresses interests isManagementRestricted isResourceAccount
    jobTitle lastPasswordChangeDateTime legalAgeGroupClassification licenseAssignmentStates mail mailboxSettings
    mailNickname mobilePhone mySite officeLocation onPremisesDistinguishedName onPremisesDomainName
    onPremisesExtensionAttributes onPremisesImmutableId onPremisesLastSyncDateTime onPremisesProvisioningErrors
    onPremisesSamAccountName onPremisesSecurityIdentifier onPremisesSyncEnabled onPremisesUserPrincipalName otherMails
    passwordPolicies passwordProfile pastProjects postalCode preferredDataLocation preferredLanguage preferredName print
    provisionedPlans proxyAddresses responsibilities schools securityIdentifier serviceProvisioningErrors
    showInAddressList signInActivity signInSessionsValidFromDateTime skills state streetAddress surname usageLocation
    userPrincipalName userType`),
  filterable: directoryFilterable('user'),
  // Graph's default user projection: anything else needs $select.
  defaultSelect: [
    'businessPhones',
    'displayName',
    'givenName',
    'jobTitle',
    'mail',
    'mobilePhone',
    'officeLocation',
    'preferredLanguage',
    'surname',
    'userPrincipalName',
    'id',
  ],
  directory: true,
};

export const GROUP_SPEC: EntitySetSpec = {
  type: 'microsoft.graph.group',
  resource: 'Group',
  properties: set(`id deletedDateTime accessType allowExternalSenders assignedLabels assignedLicenses
    autoSubscribeNewMembers classification createdDateTime description displayName expirationDateTime groupTypes
    hasMembersWithLicenseErrors hideFromAddressLists hideFromOutlookClients infoCatalogs isArchived isAssignableToRole
    isFavorite isManagementRestricted isSubscribedByMail licenseProcessingState mail mailEnabled mailNickname
    membershipRule membershipRuleProcessingState onPremisesDomainName onPremisesExtensionAttributes
    onPremisesLastSyncDateTime onPremisesNetBiosName onPremisesProvisioningErrors onPremisesSamAccountName
    onPremisesSecurityIdentifier onPremisesSyncEnabled organizationId preferredDataLocation preferredLanguage
    proxyAddresses renewedDateTime resourceBehaviorOptions resourceProvisioningOptions securityEnabled
    securityIdentifier serviceProvisioningErrors theme uniqueName unseenConversationsCount unseenCount
    unseenMessagesCount visibility welcomeMessageEnabled`),
  filterable: directoryFilterable('group'),
  directory: true,
};

export const SERVICE_PRINCIPAL_SPEC: EntitySetSpec = {
  type: 'microsoft.graph.servicePrincipal',
  resource: 'ServicePrincipal',
  properties:
    set(`id deletedDateTime accountEnabled addIns alternativeNames appDescription appDisplayName appId
    applicationTemplateId appOwnerOrganizationId appRoleAssignmentRequired appRoles createdByAppId
    customSecurityAttributes description disabledByMicrosoftStatus displayName homepage info isDisabled keyCredentials
    loginUrl logoutUrl notes notificationEmailAddresses oauth2PermissionScopes passwordCredentials
    preferredSingleSignOnMode preferredTokenSigningKeyThumbprint replyUrls resourceSpecificApplicationPermissions
    samlSingleSignOnSettings servicePrincipalNames servicePrincipalType signInAudience tags tokenEncryptionKeyId
    verifiedPublisher`),
  filterable: directoryFilterable('servicePrincipal'),
  directory: true,
};

export const COMPLIANCE_PARTNER_SPEC: EntitySetSpec = {
  type: 'microsoft.graph.complianceManagementPartner',
  resource: 'complianceManagementPartner',
  properties:
    set(`id androidEnrollmentAssignments androidOnboarded displayName iosEnrollmentAssignments iosOnboarded
    lastHeartbeatDateTime macOsEnrollmentAssignments macOsOnboarded partnerState`),
  filterable: set('id displayName partnerState macOsOnboarded'),
  directory: false,
};

export const CA_POLICY_SPEC: EntitySetSpec = {
  type: 'microsoft.graph.conditionalAccessPolicy',
  resource: 'conditionalAccessPolicy',
  properties: set(`deletedDateTime conditions createdDateTime description displayName grantControls id
    modifiedDateTime sessionControls state templateId`),
  filterable: set('id displayName state'),
  directory: false,
};

/** The org app catalog (`/appCatalogs/teamsApps`): the bot's app, for proactive installs. */
export const TEAMS_APP_SPEC: EntitySetSpec = {
  type: 'microsoft.graph.teamsApp',
  resource: 'teamsApp',
  properties: set('id displayName distributionMethod externalId'),
  filterable: set('id displayName distributionMethod externalId'),
  directory: false,
};

/** A user's installed apps (`/users/{id}/teamwork/installedApps`). */
export const USER_APP_INSTALLATION_SPEC: EntitySetSpec = {
  type: 'microsoft.graph.userScopeTeamsAppInstallation',
  resource: 'userScopeTeamsAppInstallation',
  properties: set('id consentedPermissionSet'),
  filterable: set('id'),
  directory: false,
};

/** The 1:1 chat an installation opens with the bot (`…/installedApps/{id}/chat`). */
export const CHAT_SPEC: EntitySetSpec = {
  type: 'microsoft.graph.chat',
  resource: 'chat',
  properties: set(`id chatType createdDateTime isHiddenForAllMembers lastUpdatedDateTime migrationMode
    onlineMeetingInfo originalCreatedDateTime tenantId topic viewpoint webUrl`),
  filterable: set('id chatType topic'),
  directory: false,
};

/** Every type the simulator serves, for the CSDL agreement test. */
export const ENTITY_SPECS: readonly EntitySetSpec[] = [
  DEVICE_SPEC,
  USER_SPEC,
  GROUP_SPEC,
  SERVICE_PRINCIPAL_SPEC,
  COMPLIANCE_PARTNER_SPEC,
  CA_POLICY_SPEC,
  TEAMS_APP_SPEC,
  USER_APP_INSTALLATION_SPEC,
  CHAT_SPEC,
];
