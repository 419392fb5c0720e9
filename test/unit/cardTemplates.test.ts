import fs from 'node:fs';
import path from 'node:path';
import { CARD_NAMES } from '../../src/cards/cardModels';
import { CARDS_DIR, renderCard } from '../../src/cards/renderCard';
import { errorCard } from '../../src/cards/errorCard';
import { UpstreamError, UserInputError, AccessDeniedError, type UpstreamErrorCode } from '../../src/errors';
import { checkCard } from '../helpers/validateCard';

/** Every template: `cardModels.test.ts` checks these are the files in /cards. */
const templates = CARD_NAMES;

describe('card templates', () => {
  it('there are templates, and each has sample data', () => {
    expect(templates.length).toBeGreaterThan(0);
    for (const name of templates)
      expect(fs.existsSync(path.join(CARDS_DIR, 'samples', `${name}.json`))).toBe(true);
  });

  it.each(templates)(
    '%s renders from its sample and validates as Adaptive Card 1.5 with no warnings',
    (name) => {
      const sample = JSON.parse(fs.readFileSync(path.join(CARDS_DIR, 'samples', `${name}.json`), 'utf8'));
      const card = renderCard(name, sample);
      expect(card.version).toBe('1.5');
      expect(JSON.stringify(card)).not.toMatch(/\$\{|\$data|\$when/);
      const { problems, html } = checkCard(card);
      expect(problems).toEqual([]);
      expect(html).toContain('ac-adaptiveCard');
    },
  );
});

describe('errorCard', () => {
  const codes: UpstreamErrorCode[] = [
    'throttled',
    'unauthorized',
    'forbidden',
    'not_found',
    'timeout',
    'unavailable',
    'bad_response',
    'bad_request',
    'conflict',
  ];
  it.each(codes)('names the service and what to try for %s, and validates', (code) => {
    for (const service of ['graph', 'jamf', 'teams', 'store'] as const) {
      const card = errorCard(new UpstreamError(service, code, 'x', { status: 500 }), 'abc12345');
      const text = JSON.stringify(card);
      expect(text).toContain(service === 'jamf' ? 'Jamf Pro' : service === 'graph' ? 'Microsoft Graph' : '');
      expect(text).toContain('What to try');
      expect(text).toContain('abc12345');
      expect(checkCard(card).problems).toEqual([]);
    }
  });

  it("never shows an unexpected error's message or stack", () => {
    const card = errorCard(new Error('secret=hunter2 at Object.<anonymous> (/app/x.ts:1:1)'), 'ref1');
    expect(JSON.stringify(card)).not.toMatch(/hunter2|x\.ts/);
    expect(checkCard(card).problems).toEqual([]);
  });

  it("shows a user input error's message and hint, and an access refusal", () => {
    expect(JSON.stringify(errorCard(new UserInputError('Too long', 'Be brief'), 'r'))).toContain('Be brief');
    expect(JSON.stringify(errorCard(new AccessDeniedError('Admins only'), 'r'))).toContain('Admins only');
  });
});

describe('checkCard (the validator the card tests rely on)', () => {
  it('reports an unknown element, a missing required property and a bad enum value', () => {
    const { problems } = checkCard({
      type: 'AdaptiveCard',
      version: '1.5',
      body: [{ type: 'NoSuchElement' }, { type: 'Image' }, { type: 'TextBlock', text: 'x', size: 'Huge' }],
    });
    expect(problems.length).toBeGreaterThanOrEqual(2);
  });
});
