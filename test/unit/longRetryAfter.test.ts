import { UpstreamError } from '../../src/errors';
import { DEFAULT_RETRY_POLICY, withRetry } from '../../src/upstream/retryPolicy';
import { computerIdIn, reportedSince } from '../../src/upstream/jamf/rsql';
import { parseRsql } from '../../demo/parseRsql';

describe('a Retry-After longer than the retry budget', () => {
  it('is thrown at once as throttled with retryAfterMs, without sleeping', async () => {
    const sleep = jest.fn(() => Promise.resolve());
    let attempts = 0;
    const err = await withRetry(
      () => {
        attempts++;
        throw new UpstreamError('jamf', 'throttled', 'Too many requests', {
          status: 429,
          retryAfterMs: 120_000,
        });
      },
      DEFAULT_RETRY_POLICY,
      { sleep },
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ service: 'jamf', code: 'throttled', retryAfterMs: 120_000 });
    expect(attempts).toBe(1);
    expect(sleep).not.toHaveBeenCalled();
  });

  it('is waited for when it fits the budget', async () => {
    const sleep = jest.fn(() => Promise.resolve());
    let attempts = 0;
    const value = await withRetry(
      () => {
        if (++attempts === 1)
          throw new UpstreamError('jamf', 'throttled', 'slow down', { retryAfterMs: 2000 });
        return Promise.resolve('ok');
      },
      DEFAULT_RETRY_POLICY,
      { sleep },
    );
    expect(value).toBe('ok');
    expect(sleep).toHaveBeenCalledWith(2000);
  });
});

describe('the fleet sync RSQL helpers', () => {
  it('reportedSince writes one >= comparison on general.reportDate in UTC with Z', () => {
    const f = reportedSince('2026-08-01T11:30:00+02:00');
    expect(f).toBe('general.reportDate>="2026-08-01T09:30:00.000Z"');
    expect(parseRsql(f)).toEqual({
      type: 'comparison',
      selector: 'general.reportDate',
      operator: '=ge=',
      values: ['2026-08-01T09:30:00.000Z'],
    });
    expect(reportedSince(new Date(0))).toBe('general.reportDate>="1970-01-01T00:00:00.000Z"');
    expect(() => reportedSince('yesterday')).toThrow(/not a date/);
  });

  it('computerIdIn lists numeric ids and refuses anything else', () => {
    expect(computerIdIn(['1', '22', '333'])).toBe('id=in=(1,22,333)');
    expect(parseRsql(computerIdIn(['5']))).toMatchObject({ selector: 'id', operator: '=in=', values: ['5'] });
    expect(() => computerIdIn([])).toThrow(/at least one/);
    expect(() => computerIdIn(['1', '2),general.name==*'])).toThrow(/not a Jamf Pro id/);
    expect(() => computerIdIn(['-1'])).toThrow(/not a Jamf Pro id/);
  });
});
