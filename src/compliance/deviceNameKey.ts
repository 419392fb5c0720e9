/** Typographic apostrophes and look-alikes: macOS names Macs "Alex’s MacBook Pro" (U+2019). */
const APOSTROPHES = /[\u2018\u2019\u02bc\u00b4\u0060]/g;
/** Printable ASCII but the backtick (one of the apostrophes): already in NFKC, nothing to unify. */
const PLAIN_ASCII = /^[\x20-\x5f\x61-\x7e]*$/;

/**
 * The form two computer names are compared in. Jamf and Entra may disagree on Unicode form
 * (composed "é" vs "e" + accent), apostrophe style, case and spacing; none of that makes them
 * different Macs. An empty key means "no usable name".
 */
export function deviceNameKey(name: string | null | undefined): string {
  const n = name ?? '';
  // Plain ASCII is already in NFKC and has no typographic apostrophes: skip ICU's normalize.
  const unified = PLAIN_ASCII.test(n) ? n : n.normalize('NFKC').replace(APOSTROPHES, "'");
  return unified.replace(/\s+/g, ' ').trim().toLowerCase();
}
