import { DEFAULT_FULL_RESYNC_CRON, loadConfig } from '../../src/config';
import { configProblems } from '../helpers/configProblems';

describe('config: fleetSync', () => {
  it('defaults: every 5 minutes, a nightly full resync, 10 minutes overlap, 2000 a page', () => {
    expect(loadConfig({}).fleetSync).toEqual({
      intervalMinutes: 5,
      fullResyncCron: DEFAULT_FULL_RESYNC_CRON,
      jamfOverlapMinutes: 10,
      jamfPageSize: 2000,
      maxThrottleWaitSeconds: 600,
    });
  });

  it('reads every setting; an empty cron turns the full resync off', () => {
    const c = loadConfig({
      FLEET_SYNC_INTERVAL_MINUTES: '15',
      FLEET_FULL_RESYNC_CRON: ' 30 2 * * SUN ',
      FLEET_JAMF_OVERLAP_MINUTES: '0',
      FLEET_JAMF_PAGE_SIZE: '500',
      FLEET_MAX_THROTTLE_WAIT_SECONDS: '120',
    }).fleetSync;
    expect(c).toEqual({
      intervalMinutes: 15,
      fullResyncCron: '30 2 * * SUN',
      jamfOverlapMinutes: 0,
      jamfPageSize: 500,
      maxThrottleWaitSeconds: 120,
    });
    expect(loadConfig({ FLEET_FULL_RESYNC_CRON: '' }).fleetSync.fullResyncCron).toBeNull();
    expect(loadConfig({ FLEET_FULL_RESYNC_CRON: '  ' }).fleetSync.fullResyncCron).toBeNull();
  });

  it('names the setting and the fix for bad values', () => {
    expect(configProblems({ FLEET_SYNC_INTERVAL_MINUTES: '0' })).toEqual([
      'FLEET_SYNC_INTERVAL_MINUTES: must be at least 1',
    ]);
    expect(configProblems({ FLEET_JAMF_PAGE_SIZE: '5000' })).toEqual([
      'FLEET_JAMF_PAGE_SIZE: must be at most 2000',
    ]);
    expect(configProblems({ FLEET_MAX_THROTTLE_WAIT_SECONDS: 'soon' })).toEqual([
      'FLEET_MAX_THROTTLE_WAIT_SECONDS: must be a whole number',
    ]);
    const [cron] = configProblems({ FLEET_FULL_RESYNC_CRON: 'every night' });
    expect(cron).toMatch(/^FLEET_FULL_RESYNC_CRON: is not a cron expression .* set it to five cron fields/);
    expect(configProblems({ FLEET_FULL_RESYNC_CRON: '0 0 30 2 *' })).toHaveLength(1);
  });
});
