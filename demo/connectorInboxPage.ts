import { createRequire } from 'node:module';
import fs from 'node:fs';

/** What one user received, for the demo page. */
export interface InboxEntry {
  conversationId: string;
  /** Who the conversation is with, when the simulator created it (Entra object id) or was told. */
  user: string | null;
  activities: { at: number; activity: Record<string, unknown> }[];
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Embeds JSON in a `<script type="application/json">` without letting it close the tag. */
const scriptJson = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');

let rendererJs: string | null | undefined;

/**
 * Microsoft's Adaptive Cards renderer (`adaptivecards`, a dev dependency: `npm start` has it),
 * served to the demo page so it works offline. Null when not installed: the page then shows JSON.
 */
export function adaptiveCardsScript(): string | null {
  if (rendererJs !== undefined) return rendererJs;
  try {
    const require = createRequire(__filename);
    rendererJs = fs.readFileSync(require.resolve('adaptivecards/dist/adaptivecards.min.js'), 'utf8');
  } catch {
    rendererJs = null;
  }
  return rendererJs;
}

/**
 * The demo tenant's "inbox": every conversation the bot posted into, who it is with, and each
 * card rendered the way Teams would (read-only; buttons do nothing here).
 */
export function connectorInboxPage(entries: readonly InboxEntry[], now: Date): string {
  const withCards = entries.filter((e) => e.activities.length > 0);
  const sections = withCards
    .map(
      (e, i) => `
  <section>
    <h2>${escapeHtml(e.user ?? 'Unknown user')} <small>${escapeHtml(e.conversationId)}</small></h2>
    ${e.activities
      .map((a, j) => {
        const atts =
          (a.activity.attachments as { contentType?: string; content?: unknown }[] | undefined) ?? [];
        const card = atts.find((x) => x.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
        const text = typeof a.activity.text === 'string' ? a.activity.text : '';
        return `<article><time>${escapeHtml(new Date(a.at).toISOString())}</time>${
          card
            ? `<div class="card" id="c${i}-${j}"></div><script type="application/json" data-for="c${i}-${j}">${scriptJson(card)}</script>`
            : `<p>${escapeHtml(text)}</p>`
        }</article>`;
      })
      .join('\n')}
  </section>`,
    )
    .join('\n');
  const js = adaptiveCardsScript();
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Demo inbox — what each user received</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
 body{font-family:system-ui,sans-serif;margin:2rem;background:#f5f5f5;color:#242424}
 section{background:#fff;border-radius:8px;padding:1rem;margin:1rem 0;box-shadow:0 1px 2px #0002}
 h2{font-size:1.1rem;margin:0 0 .5rem} small{color:#616161;font-weight:normal;font-size:.75rem}
 article{border-top:1px solid #eee;padding:.5rem 0} time{display:block;color:#616161;font-size:.75rem}
 .card{max-width:560px} pre{white-space:pre-wrap;font-size:.75rem}
</style></head><body>
<h1>Demo inbox</h1>
<p>${withCards.length} conversation(s) received messages from the bot, as of ${escapeHtml(now.toISOString())}. Reload to update.</p>
${sections || '<p>Nothing sent yet. Try <b>remind send</b> in a channel.</p>'}
${js ? `<script>${js.replace(/<\/script/gi, '<\\/script')}</script>` : ''}
<script>
for (const el of document.querySelectorAll('script[data-for]')) {
  const target = document.getElementById(el.dataset.for);
  const json = JSON.parse(el.textContent);
  try {
    const card = new AdaptiveCards.AdaptiveCard();
    card.parse(json);
    target.appendChild(card.render());
  } catch (e) {
    const pre = document.createElement('pre');
    pre.textContent = JSON.stringify(json, null, 2);
    target.appendChild(pre);
  }
}
</script></body></html>`;
}
