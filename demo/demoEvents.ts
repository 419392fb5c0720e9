/**
 * Things that happen to the demo tenant while it runs, named in `DEMO_SCENARIO` beside the
 * starting states (demo/demoScenarios.ts): `compliance-drop` — many Macs leave Jamf's Compliance
 * group at once (demo/complianceDrop.ts), for the drop alert; `lost-answers` — the Bot
 * Connector stand-in delivers every fifth reminder, then answers 502, so a campaign shows
 * reminders in doubt and **Resend to in doubt** (issue 21).
 */
export const DEMO_EVENTS = ['compliance-drop', 'lost-answers'] as const;

export type DemoEvent = (typeof DEMO_EVENTS)[number];
