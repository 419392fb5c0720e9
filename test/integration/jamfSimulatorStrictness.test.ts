/**
 * The demo's Jamf Pro as strict as a real 11.30.1 server where the bot could be fooled by a
 * lenient one: criteria and `filter` fields Jamf Pro does not know are 400s with Jamf's error
 * body, and inventory sections not asked for come back `null` — so a client reading a section it
 * did not request finds nothing, as against the real server. Classic API policies, which the
 * swagger leaves without a schema, are served in the shape of Jamf's reference (the fixture).
 */
import { classicPolicyShape } from '../../demo/classicPolicyShape';
import { INVENTORY_FILTER_FIELDS } from '../../demo/jamfInventoryIndex';
import { DEFAULT_COMPUTER_SECTIONS } from '../../src/upstream/jamf';
import { validateJamfResponse, validateJamfSchema } from '../helpers/contracts';
import { readContract } from '../helpers/readContract';
import { jamfHarness, type JamfHarness, type RawResponse } from './jamfHarness';

const SG = '/api/v3/computer-groups/smart-groups';
const INVENTORY = '/api/v4/computers-inventory';

let h: JamfHarness;
let token: string;
beforeAll(async () => {
  h = await jamfHarness({ size: 40 });
  token = await h.token();
});
afterAll(() => h.close());

interface Parameter {
  name: string;
  description?: string;
}
const contract = JSON.parse(readContract('jamf-pro-api-11.30.1.openapi.json')) as {
  paths: Record<string, Record<string, { parameters?: Parameter[] }>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
};

/** The field names a `filter` parameter's description allows (`Fields allowed in the query: …`). */
function allowedFilterFields(specPath: string): string[] {
  const filter = contract.paths[specPath]?.get?.parameters?.find((p) => p.name === 'filter');
  const text = filter?.description ?? '';
  const list = text.slice(
    text.indexOf('Fields allowed in the query:'),
    text.search(/This param|Example:|The siteId/),
  );
  return [...list.matchAll(/`([^`]+)`|\b([a-zA-Z]+(?:\.[a-zA-Z]+)*)\b/g)]
    .map((m) => m[1] ?? m[2] ?? '')
    .filter((f) => !['Fields', 'allowed', 'in', 'the', 'query'].includes(f));
}

/** A Jamf `ApiError` with this status, code and field. */
function expectApiError(r: RawResponse, status: number, code: string, field: string): void {
  expect(r.status).toBe(status);
  expect(validateJamfSchema('ApiError', r.body).errors).toEqual([]);
  expect(r.body).toMatchObject({
    httpStatus: status,
    errors: [expect.objectContaining({ code, field, description: expect.any(String) })],
  });
}

const criterion = (name: string) => ({
  name,
  priority: 0,
  andOr: 'and',
  searchType: 'is',
  value: 'x',
  openingParen: false,
  closingParen: false,
});

describe('smart computer groups: unknown criteria and filter fields are 400s', () => {
  it('a criterion name Jamf Pro does not know is a 400 INVALID_FIELD on create and on update', async () => {
    const bad = { name: 'Unknown criterion', criteria: [criterion('Favourite Colour')] };
    const created = await h.raw('POST', SG, { token, body: bad });
    expectApiError(created, 400, 'INVALID_FIELD', 'criteria[0].name');
    expect(validateJamfResponse('POST', SG, 400, created.body).errors).toEqual([]);
    expect(h.fleet.jamf.smartGroups.some((g) => g.name === bad.name)).toBe(false);

    const updated = await h.raw('PUT', `${SG}/2`, { token, body: { ...bad, name: 'Still unknown' } });
    expectApiError(updated, 400, 'INVALID_FIELD', 'criteria[0].name');

    // The criteria the bot writes are Jamf Pro's own names, and are accepted.
    const good = await h.raw('POST', SG, {
      token,
      body: { name: 'Known criteria', criteria: [criterion('Application Title')] },
    });
    expect(good.status).toBe(201);
  });

  it('a filter field the contract does not list for smart groups is a 400 INVALID_FIELD', async () => {
    expect(allowedFilterFields('/v3/computer-groups/smart-groups')).toEqual(['id', 'name', 'siteId']);
    const r = await h.raw('GET', `${SG}?filter=${encodeURIComponent('description=="x"')}`, { token });
    expectApiError(r, 400, 'INVALID_FIELD', 'filter');
    const ok = await h.raw('GET', `${SG}?filter=${encodeURIComponent('name=="*Applicable*";siteId==-1')}`, {
      token,
    });
    expect(ok.status).toBe(200);
  });
});

describe('computer inventory: filter fields as the contract lists them', () => {
  it("filters on exactly the contract's fields; any other is a 400 INVALID_FIELD", async () => {
    expect([...INVENTORY_FILTER_FIELDS]).toEqual(allowedFilterFields('/v4/computers-inventory'));
    for (const field of ['general.assetTag', 'purchasing.warrantyDate', 'general.remoteManagement.managed']) {
      const r = await h.raw('GET', `${INVENTORY}?filter=${encodeURIComponent(`${field}=="x"`)}`, { token });
      expect({ field, status: r.status }).toEqual({ field, status: 200 });
    }
    for (const field of ['general.colour', 'applications.name', 'hardware.serial']) {
      const r = await h.raw('GET', `${INVENTORY}?filter=${encodeURIComponent(`${field}=="x"`)}`, { token });
      expectApiError(r, 400, 'INVALID_FIELD', 'filter');
    }
  });
});

describe('computer inventory: sections not requested are null', () => {
  const sectionKeys = Object.keys(contract.components.schemas.ComputerInventoryV4?.properties ?? {}).filter(
    (k) => k !== 'id' && k !== 'udid',
  );

  it('section=GENERAL&section=HARDWARE: every other section present and null, in the list and by id', async () => {
    const list = await h.raw('GET', `${INVENTORY}?section=GENERAL&section=HARDWARE&page-size=5`, { token });
    const one = await h.raw('GET', `${INVENTORY}/1?section=GENERAL&section=HARDWARE`, { token });
    const records = [...(list.body as { results: Record<string, unknown>[] }).results, one.body] as Record<
      string,
      unknown
    >[];
    expect(records).toHaveLength(6);
    for (const r of records) {
      expect(r.general).toEqual(expect.any(Object));
      expect(r.hardware).toEqual(expect.any(Object));
      for (const key of sectionKeys.filter((k) => k !== 'general' && k !== 'hardware')) {
        expect({ key, present: key in r, value: r[key] }).toEqual({ key, present: true, value: null });
      }
    }
  });

  it('no section parameter: GENERAL only, the rest null', async () => {
    const r = await h.raw('GET', `${INVENTORY}/1`, { token });
    const body = r.body as Record<string, unknown>;
    expect(body.general).toEqual(expect.any(Object));
    expect(sectionKeys.filter((k) => k !== 'general').every((k) => body[k] === null)).toBe(true);
  });

  it('the client asks for every section it reads: its default sections map like all of them', async () => {
    const client = h.client();
    const everySection = [
      ...DEFAULT_COMPUTER_SECTIONS,
      'DISK_ENCRYPTION',
      'SECURITY',
      'EXTENSION_ATTRIBUTES',
    ] as const;
    const [byDefault, withEverything] = await Promise.all([
      client.listComputers(),
      client.listComputers({ sections: everySection }),
    ]);
    expect(byDefault).toEqual(withEverything);
    for (const id of ['1', '7']) {
      expect(await client.getComputer(id)).toEqual(await client.getComputer(id, everySection));
    }
  });
});

describe('Classic API policies in the documented shape (demo/fixtures/jamf-classic-policy.json)', () => {
  it('the list and every policy conform to the schema, and the client reads them', async () => {
    const list = await h.raw('GET', '/JSSResource/policies', { token });
    expect(list.status).toBe(200);
    expect(classicPolicyShape('policyList', list.body)).toEqual([]);
    const ids = (list.body as { policies: { id: number }[] }).policies.map((p) => p.id);
    expect(ids.length).toBeGreaterThan(0);
    const client = h.client();
    for (const id of ids) {
      const one = await h.raw('GET', `/JSSResource/policies/id/${id}`, { token });
      expect({ id, status: one.status, problems: classicPolicyShape('policy', one.body) }).toEqual({
        id,
        status: 200,
        problems: [],
      });
      expect(await client.getPolicy(String(id))).toMatchObject({ id: String(id) });
    }
    expect((await h.raw('GET', '/JSSResource/policies/id/999', { token })).status).toBe(404);
  });
});
