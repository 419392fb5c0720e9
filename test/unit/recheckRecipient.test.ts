import { recheckRecipient } from '../../src/broadcasts/recheckRecipient';
import type { Campaign, CampaignRecipient } from '../../src/compliance/campaignTypes';
import { DEFAULT_CRITERIA } from '../../src/compliance/defaultCriteria';
import { UpstreamError } from '../../src/errors';
import type { LookupDeps } from '../../src/lookup/lookupMacs';
import { APPLICABLE, NOW, entraUser, jamfComputer } from './complianceFixtures';

const CAMPAIGN = { id: 'c-0000000a', audience: 'all' } as Campaign;
const ALEX: CampaignRecipient = {
  recipientId: 'u-1',
  name: 'Alex Wilber',
  upn: 'alex@contoso.com',
  macs: [
    { computerId: '1', name: 'Alex’s MacBook Pro', serialNumber: 'C02XK0AAJGH5', verdict: 'not_registered' },
  ],
};
const unexpected = () => Promise.reject(new Error('not asked in a user look-up'));

/** Live services for Alex: one Mac in Jamf Pro, not registered with Entra ID; `jamf` overrides. */
function services(jamf: Partial<LookupDeps['jamf']> = {}): LookupDeps {
  return {
    jamf: {
      findComputers: async () => [jamfComputer({ groups: [APPLICABLE] })],
      getComplianceInfo: async () => null,
      listComputers: unexpected,
      getComputer: unexpected,
      ...jamf,
    },
    graph: {
      findUser: async () => entraUser(),
      getUser: async () => entraUser(),
      getUserDevices: async () => [],
      findDevicesByName: async () => [],
      checkMemberGroups: async () => ['g-1'],
      getDeviceByDeviceId: unexpected,
    },
    connectorScope: async () => ({
      partner: null,
      groupIds: ['g-1'],
      groupNames: { 'g-1': 'Mac users' },
      assignsAllUsers: false,
    }),
  };
}

/**
 * The re-check before a reminder (src/broadcasts/recheckRecipient.ts): its failure paths. A
 * service that cannot answer makes it throw (the dispatcher retries, then fails the row as
 * `recheck_failed`) and records nothing; a compliance-history write that fails is only logged.
 */
describe('recheckRecipient when something fails', () => {
  const config = { criteria: DEFAULT_CRITERIA };

  it('Jamf Pro not answering: throws its UpstreamError, records no history', async () => {
    const down = new UpstreamError('jamf', 'unavailable', 'Jamf Pro answered 503');
    const history = { recordComplianceObservations: jest.fn(async () => {}) };
    const recheck = recheckRecipient(
      { ...services({ findComputers: () => Promise.reject(down) }), config, history },
      () => NOW,
    );
    await expect(recheck(ALEX, CAMPAIGN)).rejects.toBe(down);
    expect(history.recordComplianceObservations).not.toHaveBeenCalled();
  });

  it('a compliance-history write that fails does not hold back the reminder; it is logged', async () => {
    const history = {
      recordComplianceObservations: jest.fn(() => Promise.reject(new Error('database is locked'))),
    };
    const logger = { warn: jest.fn() };
    const recheck = recheckRecipient({ ...services(), config, history, logger }, () => NOW);
    const check = await recheck(ALEX, CAMPAIGN);
    expect(check).toMatchObject({ due: true, macs: [{ computerId: '1', verdictLabel: expect.any(String) }] });
    expect(history.recordComplianceObservations).toHaveBeenCalledWith(
      [{ jamfId: '1', userId: 'u-1', compliant: false }],
      NOW.toISOString(),
    );
    expect(logger.warn).toHaveBeenCalledWith(
      expect.objectContaining({ recipientId: 'u-1', err: expect.any(Error) }),
      'could not record the re-check in the compliance history',
    );
  });

  it('a recipient without a user principal name is skipped, nothing asked', async () => {
    const deps = services({ findComputers: jest.fn(unexpected) });
    const check = await recheckRecipient({ ...deps, config }, () => NOW)({ ...ALEX, upn: null }, CAMPAIGN);
    expect(check).toEqual({ due: false, reason: 'no_macs_left', detail: 'no user principal name' });
    expect(deps.jamf.findComputers).not.toHaveBeenCalled();
  });
});
