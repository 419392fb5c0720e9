import dotenv from 'dotenv';
import { tenantConfigOrExit } from './configOrExit';
import { configSecrets } from './config';
import { overallStatus } from './compliance/setupCheckTypes';
import { formatSetupReport } from './doctor/formatSetupReport';
import { runSetupCheck } from './doctor/runSetupCheck';
import { createLogger } from './log';
import { openSchemaProbe } from './store/openSchemaProbe';
import { createUpstreamClients } from './upstream/createUpstreamClients';

/**
 * The setup doctor from a shell (`npm run doctor`; in the container `node dist/doctorMain.js`):
 * reads the configuration exactly as the production entry does (.env, tenant mode), runs every
 * check of `runSetupCheck` once, prints ✓/✗/!/– lines with the fix, and exits 1 when any check
 * failed (warnings and skips do not fail it), so a deployment pipeline can gate on it.
 */
async function main(): Promise<number> {
  dotenv.config({ quiet: true });
  const config = tenantConfigOrExit(process.env);
  const secrets = configSecrets(config);
  // Only warnings and errors: the report is the output.
  const logger = createLogger({ level: 'warn', secrets: () => secrets });
  const { graph, jamf } = createUpstreamClients(config, { logger });
  // Read-only: the doctor never creates or migrates the database (the bot does at start-up).
  const probe = openSchemaProbe(config.store);
  const store = { ready: async () => undefined, schemaVersion: () => probe.schemaVersion() };
  try {
    const report = await runSetupCheck({ config, graph, jamf, store }, new Date());
    // The report is this command's output (stdout), not a log line.
    process.stdout.write(`${formatSetupReport(report)}\n`);
    return overallStatus(report.checks) === 'fail' ? 1 : 0;
  } finally {
    jamf.close();
    await graph.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error('The setup doctor could not run:', e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
