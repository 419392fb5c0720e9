import { buildCommandContext, type HandlerDeps } from './buildCommandContext';
import type { Step } from './runChain';
import type { Turn } from './turn';

/** The last step: runs the routed command, or the card action and answers with its result. */
export function runHandler(deps: HandlerDeps): Step<Turn> {
  return async (turn) => {
    if (turn.kind === 'message') {
      const { command, intent } = turn.matched();
      turn.log.info({ command: command.name, intent }, 'running command');
      await command.run(buildCommandContext(turn, deps));
      return;
    }
    turn.log.info({ verb: turn.verb }, 'running card action');
    const result = await turn.matched().run(buildCommandContext(turn, deps));
    await turn.answer('card' in result ? result : result.message);
  };
}
