/**
 * Text a person typed (a group name, a rule), made safe to put in a card's markdown: `*`, `_`,
 * brackets and friends show as typed. The same rule as the cards' `escapeMarkdown`, here so the
 * pure domain can word its plan lines without importing the card renderer.
 */
export function markdownLiteral(text: string): string {
  return text.replace(/([\\`*_[\]()<>~])/g, '\\$1');
}
