import { generateFleet } from '../../demo/generateFleet';
import { DEMO_FLEET_IDS } from '../../demo/demoFleetIds';
import { PlaygroundStory, type StoryTimers } from '../../demo/playgroundStory';
import type { GraphFleetMutations, JamfFleetMutations } from '../../demo/fleetMutations';
import type { JamfInventoryRecord } from '../../demo/fleetTypes';
import { webhookingJamf } from '../../demo/webhookingJamf';

/** Manual timers: `run()` fires what is due at `at`. */
function manualTimers() {
  let at = 0;
  const due: { when: number; fn: () => void; id: number }[] = [];
  let next = 0;
  const timers: StoryTimers = {
    setTimeout: (fn, ms) => {
      const id = ++next;
      due.push({ when: at + ms, fn, id });
      return id;
    },
    clearTimeout: (h) => {
      const i = due.findIndex((d) => d.id === h);
      if (i >= 0) due.splice(i, 1);
    },
  };
  const advance = (ms: number) => {
    at += ms;
    for (;;) {
      const d = due.filter((x) => x.when <= at).sort((a, b) => a.when - b.when)[0];
      if (!d) return;
      due.splice(due.indexOf(d), 1);
      d.fn();
    }
  };
  return { timers, advance, pending: () => due.length };
}

/** Plain in-memory mutations over the generated fleet, with Compliance membership by FileVault alone. */
function fakeTenant() {
  const fleet = generateFleet({ size: 20, seed: 7 });
  const compliance = fleet.jamf.smartGroups.find((g) => g.id === DEMO_FLEET_IDS.jamfGroups.compliance)!;
  const jamf: JamfFleetMutations = {
    putComputer(r) {
      const i = fleet.jamf.computers.findIndex((c) => c.id === r.id);
      const member = r.operatingSystem.fileVault2Status === 'ALL_ENCRYPTED';
      const stored: JamfInventoryRecord = {
        ...r,
        groupMemberships: [
          ...r.groupMemberships.filter((m) => m.groupId !== compliance.id),
          ...(member ? [{ groupId: compliance.id, groupName: compliance.name, smartGroup: true }] : []),
        ],
      };
      fleet.jamf.computers[i] = stored;
    },
    deleteComputer: () => undefined,
    computer: (id) => fleet.jamf.computers.find((c) => c.id === id),
    computerIds: () => fleet.jamf.computers.map((c) => c.id),
    putComplianceRecord: (id, r) => {
      if (r) fleet.jamf.compliance[id] = [r];
    },
  };
  const graph = {
    putDevice: (d: (typeof fleet.graph.devices)[number]) => {
      fleet.graph.devices = fleet.graph.devices.map((x) => (x.id === d.id ? d : x));
    },
  } as unknown as GraphFleetMutations;
  const sent: { before: JamfInventoryRecord | undefined; after: JamfInventoryRecord }[] = [];
  const withHooks = webhookingJamf(
    {
      ...jamf,
      webhooks: {
        computerChanged: async (before, after) => {
          sent.push({ before, after });
          return [];
        },
      },
    },
    (e) => {
      throw e;
    },
  );
  return { fleet, jamf, graph, withHooks, sent };
}

describe('PlaygroundStory', () => {
  it('starts not compliant, is fixed after fixAfterMs (raising webhooks), Entra agrees after entraLagMs', async () => {
    const t = fakeTenant();
    const clock = manualTimers();
    const steps: string[] = [];
    const story = new PlaygroundStory({
      fleet: t.fleet,
      jamf: t.jamf,
      jamfWithWebhooks: t.withHooks,
      graph: t.graph,
      fixAfterMs: 60_000,
      entraLagMs: 30_000,
      timers: clock.timers,
      now: () => Date.parse('2026-12-01T10:00:00.400Z'),
      onStep: (s) => steps.push(s),
    });
    const entra = () => {
      const id = t.fleet.jamf.compliance[story.mac.id]![0]!.complianceVendorDeviceInformation.deviceIds[0];
      return t.fleet.graph.devices.find((d) => d.deviceId === id)!;
    };
    expect(story.mac.hardware.serialNumber).toBe('C02DEMO0001');
    story.prepare();
    expect(story.mac.operatingSystem.fileVault2Status).toBe('BOOT_ENCRYPTED');
    expect(entra().isCompliant).toBe(false);
    expect(t.sent).toEqual([]);

    story.start();
    clock.advance(59_000);
    expect(steps).toEqual([]);
    clock.advance(1_000);
    expect(steps).toEqual(['fixed']);
    expect(story.mac.operatingSystem.fileVault2Status).toBe('ALL_ENCRYPTED');
    expect(story.mac.general.reportDate).toBe('2026-12-01T10:00:00Z');
    expect(t.sent).toHaveLength(1);
    expect(t.sent[0]!.before?.operatingSystem.fileVault2Status).toBe('BOOT_ENCRYPTED');
    await t.withHooks.settled();
    expect(entra().isCompliant).toBe(false);
    clock.advance(30_000);
    expect(steps).toEqual(['fixed', 'entra-compliant']);
    expect(entra().isCompliant).toBe(true);
    expect(t.fleet.jamf.compliance[story.mac.id]![0]!.complianceState).toBe('COMPLIANT');
  });

  it('stop() cancels what is scheduled', () => {
    const t = fakeTenant();
    const clock = manualTimers();
    const story = new PlaygroundStory({
      fleet: t.fleet,
      jamf: t.jamf,
      jamfWithWebhooks: t.withHooks,
      graph: t.graph,
      timers: clock.timers,
    });
    story.prepare();
    story.start();
    story.stop();
    expect(clock.pending()).toBe(0);
    clock.advance(10 * 60_000);
    expect(t.sent).toEqual([]);
  });
});
