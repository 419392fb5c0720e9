import type { AppConfig } from './config';
import type { CommandRegistry } from './commands/commandRegistry';

/**
 * What command handlers may use, built once by the composition root (src/app.ts).
 * Upstream clients and the store join this as they arrive.
 */
export interface Services {
  config: AppConfig;
  registry: CommandRegistry<Services>;
}
