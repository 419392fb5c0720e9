/**
 * Classic API policies (`/JSSResource/policies`, `/JSSResource/policies/id/{id}`): the published
 * swagger has no response schema, so the shapes come from Jamf's Classic API reference, written
 * down in demo/fixtures/jamf-classic-policy.json with a JSON schema beside it. The same fixture
 * feeds the demo's Jamf Pro (which serves exactly that shape) and this test of the client's
 * parsing, sparse answers (optional members absent) included.
 */
import axios, { type AxiosAdapter, type InternalAxiosRequestConfig } from 'axios';
import { classicPolicyShape } from '../../demo/classicPolicyShape';
import { classicPolicyRecord } from '../../demo/classicPolicyRecord';
import fixture from '../../demo/fixtures/jamf-classic-policy.json';
import { JamfClient } from '../../src/upstream/jamf';

/** A client whose HTTP answers come from a table of path → JSON body (and a token). */
function clientServing(bodies: Record<string, unknown>): JamfClient {
  const adapter: AxiosAdapter = async (config: InternalAxiosRequestConfig) => {
    const path = new URL(config.url ?? '', 'https://jamf.example').pathname;
    const data =
      path === '/api/v1/oauth/token'
        ? { access_token: 't', token_type: 'Bearer', expires_in: 60, scope: 'api-role:1' }
        : bodies[path];
    return {
      data: data ?? { error: 'not found' },
      status: data === undefined ? 404 : 200,
      statusText: '',
      headers: {},
      config,
    };
  };
  return new JamfClient({
    baseUrl: 'https://jamf.example',
    clientId: 'id',
    clientSecret: 'secret',
    http: axios.create({ adapter }),
  });
}

describe('the Classic policy fixture', () => {
  it('names its source: Jamf’s Classic API reference for policies', () => {
    const note = fixture.$comment.join(' ');
    expect(note).toMatch(/Classic API reference for policies/);
    expect(note).toMatch(/developer\.jamf\.com\/jamf-pro\/reference\/findpoliciesbyid/);
  });

  it('its documented answers conform to the schema; its sparse ones do not (they test tolerance)', () => {
    expect(classicPolicyShape('policyList', fixture.list)).toEqual([]);
    for (const p of fixture.documented) expect(classicPolicyShape('policy', p)).toEqual([]);
    for (const p of fixture.sparse) expect(classicPolicyShape('policy', p)).not.toEqual([]);
  });

  it('the schema refuses what Jamf never sends: text ids, a missing scope, a policy as the list', () => {
    const [first] = fixture.documented;
    const textId = { policy: { ...first?.policy, general: { ...first?.policy.general, id: '1' } } };
    expect(classicPolicyShape('policy', textId)).toEqual([expect.stringContaining('/policy/general/id')]);
    const { scope: _scope, ...noScope } = first?.policy ?? {};
    expect(classicPolicyShape('policy', { policy: noScope })).not.toEqual([]);
    expect(classicPolicyShape('policyList', first)).not.toEqual([]);
  });

  it('the demo’s policies are built in the documented shape', () => {
    const record = classicPolicyRecord({
      id: 4,
      name: 'X',
      groups: [{ id: 2, name: 'G' }],
      selfService: null,
    });
    expect(classicPolicyShape('policy', { policy: record })).toEqual([]);
  });
});

describe('the client parses the fixture', () => {
  const bodies: Record<string, unknown> = { '/JSSResource/policies': fixture.list };
  for (const p of [...fixture.documented, ...fixture.sparse]) {
    bodies[`/JSSResource/policies/id/${p.policy.general.id}`] = p;
  }
  const client = clientServing(bodies);
  afterAll(() => client.close());

  it('listPolicies: ids as text, names', async () => {
    expect(await client.listPolicies()).toEqual([
      { id: '1', name: 'Register with Microsoft Entra ID' },
      { id: '2', name: 'Install Rosetta 2' },
      { id: '3', name: 'Update Company Portal' },
    ]);
  });

  it('getPolicy: general, scope and Self Service of documented answers', async () => {
    expect(await client.getPolicy('1')).toEqual({
      id: '1',
      name: 'Register with Microsoft Entra ID',
      enabled: true,
      allComputers: false,
      groups: [{ id: '2', name: 'Jamf Device Compliance – Applicable' }],
      inSelfService: true,
      selfServiceName: 'Register with Microsoft Entra ID',
    });
    // Exclusions and single computers are not the scope's groups.
    expect(await client.getPolicy('2')).toEqual({
      id: '2',
      name: 'Install Rosetta 2',
      enabled: false,
      allComputers: true,
      groups: [],
      inSelfService: false,
      selfServiceName: '',
    });
  });

  it('getPolicy: absent optional members read as their defaults', async () => {
    const defaults = {
      enabled: false,
      allComputers: false,
      groups: [],
      inSelfService: false,
      selfServiceName: '',
    };
    expect(await client.getPolicy('5')).toEqual({ id: '5', name: 'No scope, no Self Service', ...defaults });
    expect(await client.getPolicy('6')).toEqual({ id: '6', name: 'Id as text, empty sections', ...defaults });
    expect(await client.getPolicy('7')).toEqual({
      ...defaults,
      id: '7',
      name: 'Groups without names',
      enabled: true,
      groups: [{ id: '8', name: '' }],
      inSelfService: true,
    });
  });

  it('getPolicy: no such policy is null', async () => {
    expect(await client.getPolicy('99')).toBeNull();
  });
});
