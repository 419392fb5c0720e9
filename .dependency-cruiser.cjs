// @ts-check
/**
 * The layers of src/, checked by `npm run lint` (dependency-cruiser). docs/architecture.md draws
 * the same picture; change both together.
 *
 * Arrows point down: a folder may import only the folders listed for it (and itself). The kernel
 * (errors.ts, log.ts, config.ts) is reachable from everywhere; compliance/ (the pure domain) from
 * everywhere but the kernel's errors/log.
 */

/** Folder (or root file) → what it may import inside src/, besides itself and the kernel. */
const LAYERS = {
  // The composition root and the process entry see everything.
  main: null,
  startBot: null,
  app: null,
  createCommandRegistry: null,
  // The setup doctor's shell entry (`npm run doctor`): builds clients and store like the root.
  doctorMain: null,
  // Process helpers of the entry points: the kernel only (configOrExit reads the config).
  configOrExit: [],
  stopOnSignals: [],
  // Edges: the platforms.
  http: ['metrics'],
  teams: ['commands', 'cards', 'broadcasts', 'store', 'upstream', 'metrics', 'notifier', 'compliance'],
  // Triggers: the scheduler calls use cases, never commands.
  jobs: ['alerts', 'rollout', 'broadcasts', 'fleet', 'lookup', 'store', 'notifier', 'compliance'],
  // One file per command: parse → use case → view model → card. Never the store itself.
  commands: ['broadcasts', 'alerts', 'rollout', 'lookup', 'cards', 'upstream', 'notifier', 'compliance'],
  // Features (use cases).
  broadcasts: ['lookup', 'cards', 'store', 'upstream', 'notifier', 'compliance'],
  alerts: ['lookup', 'cards', 'store', 'upstream', 'notifier', 'compliance'],
  rollout: ['lookup', 'cards', 'store', 'compliance'],
  notifier: ['cards'],
  // The setup doctor's checks (the script and `setup check`): reads through lookup, the clients and the store.
  doctor: ['lookup', 'upstream', 'store', 'compliance'],
  // The fleet snapshot: syncs Jamf and Graph into the store, and reads it for fleet-wide answers.
  fleet: ['lookup', 'upstream', 'store', 'compliance'],
  // Live updates: the Jamf webhook intake (parse, queue) and the worker that turns deliveries into
  // refreshes; the sync engine's refresh is injected by the composition root.
  live: ['store', 'compliance'],
  // I/O below the features.
  lookup: ['upstream', 'store', 'compliance'],
  metrics: ['upstream'],
  upstream: ['compliance'],
  store: ['compliance'],
  // Cards know the domain and their own view models, nothing above them.
  cards: ['compliance'],
  // The pure domain.
  compliance: [],
};

// config.ts and its two parts (the Agents Toolkit's names, the Graph client certificate).
const KERNEL = ['errors', 'log', 'config', 'toolkitSettings', 'readClientCertificate'];

/** A src/ path regex for a layer name: a folder, or a root file such as app.ts. */
function pathOf(name) {
  return `^src/(${name}/|${name}\\.ts$)`;
}

const layerRules = Object.entries(LAYERS)
  .filter(([, allowed]) => allowed !== null)
  .map(([layer, allowed]) => {
    const ok = [layer, ...allowed, ...(layer === 'compliance' ? ['errors'] : [...KERNEL, 'compliance'])];
    return {
      name: `layer-${layer}`,
      comment: `src/${layer} may import only: ${ok.filter((n) => n !== layer).join(', ') || 'nothing'} (docs/architecture.md)`,
      severity: 'error',
      from: { path: pathOf(layer) },
      to: { path: '^src/', pathNot: ok.map(pathOf).join('|') },
    };
  });

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'kernel-stays-small',
      comment: 'errors.ts and log.ts import nothing from src/; config.ts only the domain and its own parts',
      severity: 'error',
      from: { path: '^src/(errors|log|config|toolkitSettings|readClientCertificate)\\.ts$' },
      to: {
        path: '^src/',
        pathNot: '^src/(compliance/|(errors|log|toolkitSettings|readClientCertificate)\\.ts$)',
      },
    },
    {
      name: 'every-file-has-a-layer',
      comment: 'a new folder or root file of src/ gets its row in LAYERS (and in docs/architecture.md)',
      severity: 'error',
      from: {
        path: '^src/',
        pathNot: [...Object.keys(LAYERS), ...KERNEL].map(pathOf).join('|'),
      },
      to: {},
    },
    {
      name: 'src-never-imports-demo',
      comment: 'the demo tenant lives outside the runtime tree: dist/ and the container hold none of it',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^demo/' },
    },
    {
      name: 'botbuilder-only-in-teams',
      comment: 'only src/teams talks to the Bot Framework (src/http may use its types)',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(teams/|http/|app\\.ts$|main\\.ts$)' },
      to: { path: 'node_modules/(botbuilder|botframework-)' },
    },
    {
      name: 'restify-only-in-http',
      comment: 'only src/http builds the HTTP server',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(http/|app\\.ts$|main\\.ts$)' },
      to: { path: 'node_modules/restify' },
    },
    {
      name: 'no-circular',
      comment: 'a module cycle means two layers know each other',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-tests-from-src',
      comment: 'runtime code never imports tests, benches or scripts',
      severity: 'error',
      from: { path: '^(src|demo)/' },
      to: { path: '^(test|bench|scripts)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a layer that names another's types depends on it.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(dist|coverage|node_modules)/' },
  },
};
