import { AxiosError } from 'axios';
import { UpstreamError } from '../../src/errors';
import { computerWire, complianceWire } from '../../src/upstream/jamf/jamfWire';
import { mapComplianceInfo } from '../../src/upstream/jamf/mapComplianceInfo';
import { mapJamfComputer } from '../../src/upstream/jamf/mapJamfComputer';
import { jamfFailure, jamfStatusError } from '../../src/upstream/jamf/toJamfError';

const info = (cvdi: unknown, over: Record<string, unknown> = {}) =>
  complianceWire.parse([
    {
      deviceId: '7',
      applicable: true,
      complianceState: 'COMPLIANT',
      complianceVendor: 'Intune',
      complianceVendorDeviceInformation: cvdi,
      ...over,
    },
  ]);

describe('mapComplianceInfo', () => {
  it.each([
    ['the schema: an object', { deviceIds: ['d1', 'd2'] }, ['d1', 'd2']],
    [
      "the schema's example: an array of objects",
      [{ deviceIds: ['d1'] }, { deviceIds: ['d2', 'd1'] }],
      ['d1', 'd2'],
    ],
    ['one string', { deviceIds: 'd1' }, ['d1']],
    ['an object of strings', { deviceIds: { a: 'd1', b: 'd2' } }, ['d1', 'd2']],
    ['empty', { deviceIds: [] }, []],
    ['null', null, []],
  ])('reads deviceIds from %s', (_label, cvdi, ids) => {
    expect(mapComplianceInfo('7', info(cvdi))).toEqual({
      computerId: '7',
      applicable: true,
      complianceState: 'COMPLIANT',
      entraDeviceIds: ids,
    });
  });

  it('prefers the Intune record, maps unknown states to UNKNOWN, null for no record', () => {
    const records = complianceWire.parse([
      { complianceVendor: 'Other', complianceState: 'COMPLIANT', applicable: true },
      { complianceVendor: 'Microsoft Intune', complianceState: 'SOMETHING_NEW', applicable: false },
    ]);
    expect(mapComplianceInfo('1', records)).toMatchObject({ complianceState: 'UNKNOWN', applicable: false });
    expect(mapComplianceInfo('1', [])).toBeNull();
  });
});

describe('mapJamfComputer', () => {
  it('turns empty strings and missing sections into null / []', () => {
    const c = mapJamfComputer(
      computerWire.parse({
        id: 5,
        general: { name: 'Lab', reportDate: '2025-01-01T00:00:00Z', lastContact: null },
        userAndLocation: { username: '', email: '', realname: null },
        operatingSystem: { fileVault2Status: 'SOMETHING_ELSE' },
        groupMemberships: [{ groupId: '2', groupName: 'A' }, { groupName: 'no id' }],
      }),
    );
    expect(c).toEqual({
      id: '5',
      udid: null,
      name: 'Lab',
      serialNumber: null,
      model: null,
      osVersion: null,
      reportDate: '2025-01-01T00:00:00Z',
      lastContact: null,
      fileVault2Status: null,
      applications: [],
      username: null,
      email: null,
      realName: null,
      groups: [{ groupId: '2', groupName: 'A', smartGroup: false }],
    });
  });
});

describe('Jamf errors', () => {
  const secret = 'S3cr3t-value';
  const token = 'eyJhbGciOiJIUzI1NiJ9.token';

  it('maps statuses to codes, reads Retry-After, keeps Jamf’s error code', () => {
    const e = jamfStatusError(429, { 'retry-after': '2' }, {}, 'GET /api/v4/computers-inventory', 0);
    expect(e).toMatchObject({ service: 'jamf', code: 'throttled', status: 429, retryAfterMs: 2000 });
    const bad = jamfStatusError(
      400,
      {},
      { httpStatus: 400, errors: [{ code: 'INVALID_FIELD', description: 'Cannot filter by field [x]' }] },
      'GET /api/v4/computers-inventory',
      0,
    );
    expect(bad.code).toBe('bad_request');
    expect(bad.message).toContain('INVALID_FIELD');
    expect(jamfStatusError(401, {}, null, 'POST /api/v1/oauth/token', 0).message).toMatch(
      /client id and secret/,
    );
  });

  it('never carries the axios error (whose config holds the token and the secret)', () => {
    const axiosError = new AxiosError('socket hang up', 'ECONNRESET', {
      headers: { Authorization: `Bearer ${token}` } as never,
      data: `client_secret=${secret}`,
    });
    const { error, retryable } = jamfFailure(axiosError, 'GET /api/x', false);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.code).toBe('unavailable');
    expect(retryable).toBe(true);
    const dump = JSON.stringify({ ...error, message: error.message, stack: error.stack, cause: error.cause });
    expect(dump).not.toContain(secret);
    expect(dump).not.toContain(token);
    expect(error.cause).toBeUndefined();
  });

  it('classifies timeouts, untrusted certificates and unknown hosts', () => {
    expect(jamfFailure(new Error('aborted'), 'GET /x', true).error.code).toBe('timeout');
    const cert = jamfFailure(new AxiosError('self-signed', 'SELF_SIGNED_CERT_IN_CHAIN'), 'GET /x', false);
    expect(cert).toMatchObject({ retryable: false });
    expect(cert.error.message).toMatch(/certificate/);
    expect(jamfFailure(new AxiosError('nope', 'ENOTFOUND'), 'GET /x', false).retryable).toBe(false);
  });
});
