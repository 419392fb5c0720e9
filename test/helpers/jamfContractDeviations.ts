/**
 * Where Jamf Pro 11.30.1 itself answers outside its published OpenAPI document, and the document is
 * patched (in memory, before validation) to say what the server really does. Each entry names
 * what it changes and why; the list is meant to stay short.
 */

interface SchemaDoc {
  components?: { schemas?: Record<string, { properties?: Record<string, unknown> }> };
}

/** `ComputerInventoryV4` properties that are not sections: always present, never null. */
const INVENTORY_NON_SECTIONS = new Set(['id', 'udid']);

/**
 * Applies the known deviations to a parsed copy of the contract:
 * - `ComputerInventoryV4` sections: Jamf Pro sends every section the request did not ask for
 *   (`section=…`) as `null`, though the schema does not mark them nullable.
 */
export function applyJamfContractDeviations(doc: object): void {
  const inventory = (doc as SchemaDoc).components?.schemas?.ComputerInventoryV4?.properties;
  if (!inventory) throw new Error('The Jamf contract has no ComputerInventoryV4 schema to patch');
  for (const [name, schema] of Object.entries(inventory)) {
    if (!INVENTORY_NON_SECTIONS.has(name)) inventory[name] = { anyOf: [schema, { type: 'null' }] };
  }
}
