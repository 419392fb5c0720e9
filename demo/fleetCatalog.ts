import type { JamfInventoryRecord } from './fleetTypes';

type App = JamfInventoryRecord['applications'][number];

/** A person's name as shown, and the ASCII form their user name and UPN are built from. */
export interface CatalogName {
  shown: string;
  ascii: string;
}

const n = (shown: string, ascii = shown): CatalogName => ({ shown, ascii });

export interface CatalogModel {
  model: string;
  modelIdentifier: string;
  /** What macOS calls the Mac by default, e.g. `MacBook Pro`. */
  kind: string;
  /** Relative frequency in the fleet. */
  weight: number;
}

const app = (name: string, bundleId: string, version: string, macAppStore = false): App =>
  Object.freeze({ name, path: `/Applications/${name}`, version, bundleId, macAppStore });

/**
 * The raw material the demo fleet is drawn from: names (some accented, some CJK, so every
 * display path meets non-ASCII text), Mac models, macOS releases and inventoried apps.
 */
export const FLEET_CATALOG = {
  givenNames: [
    n('James'),
    n('Mary'),
    n('Robert'),
    n('Patricia'),
    n('John'),
    n('Jennifer'),
    n('Michael'),
    n('Linda'),
    n('David'),
    n('Elizabeth'),
    n('William'),
    n('Barbara'),
    n('Richard'),
    n('Susan'),
    n('Joseph'),
    n('Jessica'),
    n('Thomas'),
    n('Sarah'),
    n('Daniel'),
    n('Karen'),
    n('Matthew'),
    n('Nancy'),
    n('Anthony'),
    n('Lisa'),
    n('Mark'),
    n('Emily'),
    n('Steven'),
    n('Ashley'),
    n('Andrew'),
    n('Michelle'),
    n('Kevin'),
    n('Amanda'),
    n('Brian'),
    n('Melissa'),
    n('Aisha'),
    n('Omar'),
    n('Priya'),
    n('Arjun'),
    n('Mei'),
    n('Hiroshi'),
    n('José', 'Jose'),
    n('Zoë', 'Zoe'),
    n('Søren', 'Soren'),
    n('Björn', 'Bjorn'),
    n('François', 'Francois'),
    n('Chloé', 'Chloe'),
    n('Łukasz', 'Lukasz'),
    n('Renée', 'Renee'),
    n('Jürgen', 'Jurgen'),
    n('Siobhán', 'Siobhan'),
    n('Inés', 'Ines'),
    n('Noémie', 'Noemie'),
    n('Ömer', 'Omer'),
    n('Dagný', 'Dagny'),
  ],
  surnames: [
    n('Smith'),
    n('Johnson'),
    n('Williams'),
    n('Brown'),
    n('Jones'),
    n('Garcia'),
    n('Miller'),
    n('Davis'),
    n('Rodriguez'),
    n('Martinez'),
    n('Hernandez'),
    n('Lopez'),
    n('Gonzalez'),
    n('Wilson'),
    n('Anderson'),
    n('Thomas'),
    n('Taylor'),
    n('Moore'),
    n('Jackson'),
    n('Martin'),
    n('Lee'),
    n('Thompson'),
    n('White'),
    n('Harris'),
    n('Clark'),
    n('Lewis'),
    n('Walker'),
    n('Hall'),
    n('Young'),
    n('King'),
    n('Patel'),
    n('Khan'),
    n('Nakamura'),
    n('Chen'),
    n('Kim'),
    n('Nguyen'),
    n('Müller', 'Muller'),
    n('Ångström', 'Angstrom'),
    n('Núñez', 'Nunez'),
    n('Dvořák', 'Dvorak'),
    n('Çelik', 'Celik'),
    n('Yılmaz', 'Yilmaz'),
    n('Kowalczyk'),
    n('Østergaard', 'Ostergaard'),
    n('Lefèvre', 'Lefevre'),
    n('Gómez', 'Gomez'),
    n("O'Connor", 'OConnor'),
    n("D'Angelo", 'DAngelo'),
  ],
  models: [
    {
      model: 'MacBook Pro (14-inch, M3, Nov 2023)',
      modelIdentifier: 'Mac15,3',
      kind: 'MacBook Pro',
      weight: 5,
    },
    {
      model: 'MacBook Pro (16-inch, 2021)',
      modelIdentifier: 'MacBookPro18,1',
      kind: 'MacBook Pro',
      weight: 2,
    },
    {
      model: 'MacBook Pro (13-inch, 2020, Four Thunderbolt 3 ports)',
      modelIdentifier: 'MacBookPro16,2',
      kind: 'MacBook Pro',
      weight: 1,
    },
    { model: 'MacBook Air (13-inch, M2, 2022)', modelIdentifier: 'Mac14,2', kind: 'MacBook Air', weight: 5 },
    { model: 'MacBook Air (15-inch, M3, 2024)', modelIdentifier: 'Mac15,13', kind: 'MacBook Air', weight: 3 },
    { model: 'iMac (24-inch, M1, 2021)', modelIdentifier: 'iMac21,1', kind: 'iMac', weight: 1 },
    { model: 'Mac mini (2023)', modelIdentifier: 'Mac14,3', kind: 'Mac mini', weight: 1 },
    { model: 'Mac Studio (2023)', modelIdentifier: 'Mac14,13', kind: 'Mac Studio', weight: 1 },
  ] satisfies CatalogModel[],
  osReleases: [
    { version: '15.3.1', build: '24D70', weight: 6 },
    { version: '15.2', build: '24C101', weight: 2 },
    { version: '14.7.4', build: '23H420', weight: 3 },
    { version: '14.6.1', build: '23G93', weight: 1 },
    { version: '13.7.4', build: '22H420', weight: 1 },
  ],
  companyPortal: app('Company Portal.app', 'com.microsoft.CompanyPortalMac', '5.2501.0'),
  selfService: app('Self Service.app', 'com.jamfsoftware.selfservice.mac', '11.13.0'),
  baseApps: [
    app('Safari.app', 'com.apple.Safari', '18.3'),
    app('Microsoft Teams.app', 'com.microsoft.teams2', '25031.1'),
  ],
  optionalApps: [
    app('Microsoft Outlook.app', 'com.microsoft.Outlook', '16.93'),
    app('Microsoft Word.app', 'com.microsoft.Word', '16.93'),
    app('Microsoft Excel.app', 'com.microsoft.Excel', '16.93'),
    app('Google Chrome.app', 'com.google.Chrome', '133.0.6943.127'),
    app('Slack.app', 'com.tinyspeck.slackmacgap', '4.42.117', true),
    app('zoom.us.app', 'us.zoom.xos', '6.3.11'),
    app('Firefox.app', 'org.mozilla.firefox', '135.0.1'),
    app('1Password.app', 'com.1password.1password', '8.10.60'),
  ],
};

/** Picks by `weight`. */
export function pickWeighted<T extends { weight: number }>(items: readonly T[], r: number): T {
  const total = items.reduce((s, i) => s + i.weight, 0);
  let x = r * total;
  for (const i of items) {
    x -= i.weight;
    if (x < 0) return i;
  }
  return items[items.length - 1] as T;
}
