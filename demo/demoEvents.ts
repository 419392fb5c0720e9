/**
 * Things that happen to the demo tenant while it runs, named in `DEMO_SCENARIO` beside the
 * starting states (demo/demoScenarios.ts): `compliance-drop` — many Macs leave Jamf's Compliance
 * group at once (demo/complianceDrop.ts), for the drop alert.
 */
export const DEMO_EVENTS = ['compliance-drop'] as const;

export type DemoEvent = (typeof DEMO_EVENTS)[number];
