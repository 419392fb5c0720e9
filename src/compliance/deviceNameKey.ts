/** Typographic apostrophes and look-alikes: macOS names Macs "Alex’s MacBook Pro" (U+2019). */
const APOSTROPHES = /[\u2018\u2019\u02bc\u00b4\u0060]/g;

/**
 * The form two computer names are compared in. Jamf and Entra may disagree on Unicode form
 * (composed "é" vs "e" + accent), apostrophe style, case and spacing; none of that makes them
 * different Macs. An empty key means "no usable name".
 */
export function deviceNameKey(name: string | null | undefined): string {
  return (name ?? '').normalize('NFKC').replace(APOSTROPHES, "'").replace(/\s+/g, ' ').trim().toLowerCase();
}
