import { readerLocale } from '../../../src/broadcasts/readerLocale';

describe('readerLocale: the language a proactive card is written in', () => {
  const logger = { warn: jest.fn() };
  beforeEach(() => logger.warn.mockClear());

  it('the stored 1:1 chat’s locale and time zone win, without asking Graph', async () => {
    const userLanguage = jest.fn(async () => 'fr-FR');
    expect(
      await readerLocale('u', { locale: 'de-DE', timeZone: 'Europe/Berlin' }, { userLanguage, logger }),
    ).toEqual({ locale: 'de-DE', timeZone: 'Europe/Berlin' });
    expect(userLanguage).not.toHaveBeenCalled();
  });

  it('else Entra ID’s preferredLanguage (keeping a known time zone)', async () => {
    const userLanguage = jest.fn(async () => 'ja-JP');
    expect(await readerLocale('u', { timeZone: 'Asia/Tokyo' }, { userLanguage, logger })).toEqual({
      locale: 'ja-JP',
      timeZone: 'Asia/Tokyo',
    });
    expect(await readerLocale('u', null, { userLanguage, logger })).toEqual({ locale: 'ja-JP' });
    expect(userLanguage).toHaveBeenCalledWith('u');
  });

  it('else English: none set, no Graph, or Graph failing (logged, never thrown)', async () => {
    expect(await readerLocale('u', null, { userLanguage: async () => null, logger })).toEqual({});
    expect(await readerLocale('u', null, { logger })).toEqual({});
    const failing = async (): Promise<string | null> => {
      throw new Error('throttled');
    };
    expect(await readerLocale('u', null, { userLanguage: failing, logger })).toEqual({});
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });
});
