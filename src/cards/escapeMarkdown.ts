/**
 * Escapes text a person typed before it goes into a card's markdown, so `**`, `[link](…)` or
 * `<at>` in their input shows as typed instead of being formatted.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]()<>~])/g, '\\$1');
}
