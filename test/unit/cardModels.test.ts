import { CARD_NAMES, type NoticeModel } from '../../src/cards/cardModels';
import type { DeviceCardModel } from '../../src/cards/deviceCardModel';
import { listCardTemplates, renderCard } from '../../src/cards/renderCard';

describe('CardModels: one model type per template', () => {
  it('names every template in /cards, and nothing else', () => {
    expect([...CARD_NAMES].sort()).toEqual(listCardTemplates());
  });

  it('refuses an unknown template name at run time too', () => {
    // @ts-expect-error not a template
    expect(() => renderCard('noSuchCard', {})).toThrow();
  });
});

/**
 * Compile-time checks, never run: `npm run typecheck` fails when one of the marked lines
 * compiles, i.e. when renderCard stops tying the model's type to the template's name.
 */
export function _typeChecks(notice: NoticeModel, device: DeviceCardModel): void {
  renderCard('notice', notice);
  renderCard('deviceCard', device);
  // @ts-expect-error an unknown template name
  renderCard('noSuchCard', notice);
  // @ts-expect-error another template's model
  renderCard('deviceCard', notice);
  // @ts-expect-error a model without one of the template's fields
  renderCard('notice', { style: 'good', title: 'Done' });
  // @ts-expect-error a field the template does not have
  renderCard('notice', { style: 'good', title: 'Done', text: 'ok', extra: 1 });
  // @ts-expect-error a style Adaptive Cards does not know
  renderCard('notice', { style: 'green', title: 'Done', text: 'ok' });
  // @ts-expect-error any string is not a template name
  renderCard('notice' as string, notice);
}
