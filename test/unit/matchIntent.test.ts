import { INTENTS, intentWords, matchIntent, type Intent } from '../../src/commands/matchIntent';

describe('matchIntent: what an end user means, tolerant of case, typos and surrounding words', () => {
  it.each<[string, Intent]>([
    // status and its plain phrasings
    ['status', 'status'],
    ['STATUS?', 'status'],
    ['am I compliant?', 'status'],
    ['Is my Mac OK', 'status'],
    ['check my device please', 'status'],
    ['hey, how is my macbook doing?', 'status'],
    ['statys', 'status'],
    // the seed's troubleshooting vocabulary
    ['AccountNotOnboarded', 'account_not_onboarded'],
    ['I get "Account not onboarded" when I sign in', 'account_not_onboarded'],
    ['acountnotonboarded', 'account_not_onboarded'],
    ['error: AccountNotOnbaorded!!', 'account_not_onboarded'],
    ['my mac shows N/A in the portal', 'not_available'],
    ['it says n / a', 'not_available'],
    ['company portal', 'company_portal'],
    ['Should I use Company Portl?', 'company_portal'],
    ['how do I register', 'register'],
    ['registraton help', 'register'],
    ['I have registered but nothing happens', 'register'],
    ['my device is not compliant', 'not_compliant'],
    ['non-compliant', 'not_compliant'],
    ["I can't access outlook", 'not_compliant'],
    ['gatherAADInfo', 'gather_aad_info'],
    ['what does gather aad info say', 'gather_aad_info'],
    ['gatheraadifno', 'gather_aad_info'],
    ['/usr/local/jamf/bin/jamfaad gatherAADInfo', 'gather_aad_info'],
    ['still not compliant after an hour', 'still_not_compliant'],
    ['I waited an hour and it is still N/A', 'still_not_compliant'],
    // a person
    ['contact IT', 'contact_it'],
    ['can I talk to someone', 'contact_it'],
    ['please escalate this', 'contact_it'],
    ['helpdesk', 'contact_it'],
  ])('"%s" → %s', (text, intent) => {
    expect(matchIntent(text)).toBe(intent);
  });

  it('picks the most specific intent when several match', () => {
    // gatherAADInfo beats "not compliant"; a request for a person beats everything.
    expect(matchIntent('still not compliant, I ran gatherAADInfo')).toBe('gather_aad_info');
    expect(matchIntent('my mac is not compliant, contact IT')).toBe('contact_it');
    expect(matchIntent('my mac is not compliant')).toBe('not_compliant');
    expect(matchIntent('how do I register my mac')).toBe('register');
  });

  it.each([
    '',
    '   ',
    'hello',
    'what is the weather',
    'chek devise',
    'halp',
    "is Alex's mac ok",
    'it',
    'mac',
    'na',
  ])('recognises nothing in "%s"', (text) => {
    expect(matchIntent(text)).toBeNull();
  });

  it('never needs short words to be exact-or-nothing ("it" is not "is")', () => {
    expect(matchIntent('contact is')).toBeNull();
    expect(matchIntent('contakt it')).toBe('contact_it');
  });

  it('reads at most 60 words and survives hostile input', () => {
    expect(matchIntent(`${'word '.repeat(200)} status`)).toBeNull();
    expect(matchIntent('${status} <at>x</at> **status**')).toBe('status');
    expect(() => matchIntent('\u0000\uFFFF'.repeat(1000))).not.toThrow();
  });

  it('normalises words: case, quotes, punctuation, n/a', () => {
    expect(intentWords('Can’t   SIGN-in, N/A!')).toEqual(['cant', 'sign', 'in', 'n/a']);
  });

  it('has phrases for every intent', () => {
    for (const intent of INTENTS) expect(typeof intent).toBe('string');
  });
});
