import { readFileSync } from 'node:fs';
import path from 'node:path';
import { renderPermissionsDoc } from '../../../scripts/renderPermissionsDoc';
import {
  GRAPH_FEATURES,
  graphFeatureRoutes,
  missingGraphPermissions,
} from '../../../src/upstream/graph/graphFeaturePermissions';
import { GRAPH_APP_PERMISSIONS, GRAPH_ROUTE_PERMISSIONS } from '../../../src/upstream/graph/graphPermissions';
import {
  JAMF_REQUIRED_PRIVILEGES,
  JAMF_ROUTE_PRIVILEGES,
  jamfPrivilegeFor,
} from '../../../src/upstream/jamf/jamfPrivileges';
import { readContract } from '../../helpers/readContract';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** One list of required permissions feeds the doctor, the docs and the simulators. */
describe('the permission lists', () => {
  it('puts every Graph route the bot calls in a feature, and names only real routes', () => {
    const inFeatures = new Set(GRAPH_FEATURES.flatMap((f) => graphFeatureRoutes(f)));
    expect(GRAPH_ROUTE_PERMISSIONS.filter((r) => !inFeatures.has(r))).toEqual([]);
  });

  it('asks for every documented permission through some feature', () => {
    const fromFeatures = new Set(
      GRAPH_FEATURES.flatMap((f) => graphFeatureRoutes(f).map((r) => r.permission)),
    );
    expect([...fromFeatures].sort()).toEqual([...GRAPH_APP_PERMISSIONS].sort());
  });

  it('counts a higher permission Microsoft accepts, and names the least-privileged one missing', () => {
    const ca = GRAPH_FEATURES.find((f) => f.id === 'caAudit')!;
    expect(missingGraphPermissions(ca, ['Policy.Read.All', 'Application.Read.All'])).toEqual([]);
    expect(missingGraphPermissions(ca, ['Policy.Read.ConditionalAccess', 'Directory.Read.All'])).toEqual([]);
    expect(missingGraphPermissions(ca, ['Application.Read.All'])).toEqual(['Policy.Read.All']);
  });

  it('names the Jamf Pro API privileges as the contract’s x-required-privileges do', () => {
    const spec = JSON.parse(readContract('jamf-pro-api-11.30.1.openapi.json')) as {
      paths: Record<string, Record<string, { 'x-required-privileges'?: string[] }>>;
    };
    const api = JAMF_ROUTE_PRIVILEGES.filter((p) => p.route.startsWith('/api/'));
    expect(api.length).toBeGreaterThan(0);
    for (const p of api) {
      const key = Object.keys(spec.paths).find(
        (k) => k.replace(/\{[^}]+\}/g, '{id}') === p.route.slice('/api'.length),
      );
      expect(key).toBeDefined();
      expect(spec.paths[key!]![p.method.toLowerCase()]?.['x-required-privileges']).toEqual([p.privilege]);
    }
  });

  it('matches a request to its Jamf privilege (ids, trailing slash, query)', () => {
    expect(jamfPrivilegeFor('GET', '/api/v4/computers-inventory/12?section=GENERAL')?.privilege).toBe(
      'Read Computers',
    );
    expect(jamfPrivilegeFor('POST', '/api/v3/computer-groups/smart-groups/')?.privilege).toBe(
      'Create Smart Computer Groups',
    );
    expect(jamfPrivilegeFor('GET', '/JSSResource/policies/id/3')?.privilege).toBe('Read Policies');
    expect(jamfPrivilegeFor('GET', '/api/v1/auth')).toBeUndefined();
    expect(jamfPrivilegeFor('PUT', '/JSSResource/webhooks/id/4')?.privilege).toBe('Update Webhooks');
    expect(jamfPrivilegeFor('POST', '/JSSResource/webhooks/id/0')?.privilege).toBe('Create Webhooks');
    expect(JAMF_REQUIRED_PRIVILEGES).toEqual([
      'Read Computers',
      'Read Device Compliance Information',
      'Read Smart Computer Groups',
      'Read Policies',
      'Create Smart Computer Groups',
      'Read Webhooks',
      'Create Webhooks',
      'Update Webhooks',
      'Update Smart Computer Groups',
      'View MDM command information in Jamf Pro API',
    ]);
  });

  it('docs/permissions.md is generated from them (npm run docs:permissions)', () => {
    expect(readFileSync(path.join(ROOT, 'docs', 'permissions.md'), 'utf8')).toBe(renderPermissionsDoc());
  });
});
