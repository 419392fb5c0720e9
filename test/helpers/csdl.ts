import { readFileSync } from 'node:fs';
import { contractPath, readContract } from './readContract';

/**
 * Reads Microsoft Graph's v1.0 metadata (`contracts/graph-v1.0.csdl.xml`) and checks served
 * payloads against it: every property name must be declared on the entity's type or a base type
 * (open types are treated as closed — we want typos caught), values must fit their Edm type,
 * enum values must be members of their EnumType, and `@odata.type` must name the declared type or
 * a type derived from it. No XML library: CSDL is regular enough for a tag scanner.
 */

export const CSDL_PATH = contractPath('graph-v1.0.csdl.xml');

export interface CsdlProperty {
  type: string;
  nullable: boolean;
  /** A navigation property (served only when expanded). */
  navigation: boolean;
}

interface CsdlStructuredType {
  name: string;
  baseType?: string;
  properties: Map<string, CsdlProperty>;
  /** Properties the type declares as alternate keys (`Org.OData.Core.V1.AlternateKeys`). */
  alternateKeys: Set<string>;
}

/** A bound action or function: `POST /users/{id}/checkMemberGroups`. */
export interface CsdlOperation {
  kind: 'Action' | 'Function';
  /** The binding parameter's type, e.g. `microsoft.graph.directoryObject` or `Collection(…)`. */
  bindingType: string;
  returnType?: string;
}

interface CsdlEnum {
  flags: boolean;
  members: Set<string>;
}

export interface CsdlModel {
  types: Map<string, CsdlStructuredType>;
  enums: Map<string, CsdlEnum>;
  /** The entity container's entity sets and singletons: name → type. */
  entitySets: Map<string, string>;
  singletons: Map<string, string>;
  /** Bound actions and functions by name (several overloads each). */
  operations: Map<string, CsdlOperation[]>;
}

let cached: CsdlModel | undefined;

function attrs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/([A-Za-z]+)="([^"]*)"/g)) out[m[1] as string] = m[2] as string;
  return out;
}

/** Parses the CSDL once per process. */
export function loadCsdl(file: string = CSDL_PATH): CsdlModel {
  if (cached && file === CSDL_PATH) return cached;
  const xml = file === CSDL_PATH ? readContract('graph-v1.0.csdl.xml') : readFileSync(file, 'utf8');
  const types = new Map<string, CsdlStructuredType>();
  const enums = new Map<string, CsdlEnum>();
  const entitySets = new Map<string, string>();
  const singletons = new Map<string, string>();
  const operations = new Map<string, CsdlOperation[]>();
  let currentOp:
    { op: CsdlOperation; ns: string; alias?: string; bound: boolean; params: number } | undefined;
  const pendingOps: { op: CsdlOperation; ns: string; alias?: string }[] = [];
  let namespace = '';
  let alias: string | undefined;
  let current: CsdlStructuredType | undefined;
  let currentEnum: CsdlEnum | undefined;
  const aliases = new Map<string, string>();
  // Type references are resolved after the scan, when every schema's alias is known.
  const pending: { prop: CsdlProperty; ns: string; alias?: string }[] = [];
  const pendingBase: { t: CsdlStructuredType; ns: string; alias?: string }[] = [];

  for (const m of xml.matchAll(/<(\/?)([A-Za-z]+)\b([^>]*?)(\/?)>/g)) {
    const closing = m[1] === '/';
    const tag = m[2] as string;
    const a = attrs(m[3] as string);
    const selfClosing = m[4] === '/';
    if (tag === 'Schema' && !closing) {
      namespace = a.Namespace ?? '';
      alias = a.Alias;
      if (alias) aliases.set(alias, namespace);
    } else if ((tag === 'EntityType' || tag === 'ComplexType') && !closing) {
      const t: CsdlStructuredType = {
        name: `${namespace}.${a.Name}`,
        baseType: a.BaseType,
        properties: new Map(),
        alternateKeys: new Set(),
      };
      types.set(t.name, t);
      if (t.baseType) pendingBase.push({ t, ns: namespace, alias });
      current = selfClosing ? undefined : t;
    } else if ((tag === 'EntityType' || tag === 'ComplexType') && closing) {
      current = undefined;
    } else if ((tag === 'Property' || tag === 'NavigationProperty') && current && a.Name && a.Type) {
      const prop: CsdlProperty = {
        type: a.Type,
        nullable: a.Nullable !== 'false',
        navigation: tag === 'NavigationProperty',
      };
      current.properties.set(a.Name, prop);
      pending.push({ prop, ns: namespace, alias });
    } else if (tag === 'PropertyValue' && current && a.Property === 'Name' && a.PropertyPath) {
      current.alternateKeys.add(a.PropertyPath);
    } else if (tag === 'EntitySet' && !closing && a.Name && a.EntityType) {
      entitySets.set(a.Name, a.EntityType);
    } else if (tag === 'Singleton' && !closing && a.Name && a.Type) {
      singletons.set(a.Name, a.Type);
    } else if ((tag === 'Action' || tag === 'Function') && !closing && a.Name) {
      const op: CsdlOperation = { kind: tag, bindingType: '' };
      currentOp = selfClosing
        ? undefined
        : { op, ns: namespace, alias, bound: a.IsBound === 'true', params: 0 };
      if (currentOp?.bound) {
        const list = operations.get(a.Name) ?? [];
        list.push(op);
        operations.set(a.Name, list);
        pendingOps.push({ op, ns: namespace, alias });
      }
    } else if ((tag === 'Action' || tag === 'Function') && closing) {
      currentOp = undefined;
    } else if (tag === 'Parameter' && currentOp && a.Type) {
      if (currentOp.params++ === 0) currentOp.op.bindingType = a.Type;
    } else if (tag === 'ReturnType' && currentOp && a.Type) {
      currentOp.op.returnType = a.Type;
    } else if (tag === 'EnumType' && !closing) {
      currentEnum = { flags: a.IsFlags === 'true', members: new Set() };
      enums.set(`${namespace}.${a.Name}`, currentEnum);
      if (selfClosing) currentEnum = undefined;
    } else if (tag === 'EnumType' && closing) {
      currentEnum = undefined;
    } else if (tag === 'Member' && currentEnum && a.Name) {
      currentEnum.members.add(a.Name);
    }
  }

  const resolve = (ref: string, ns: string, schemaAlias?: string): string => {
    const collection = /^Collection\((.*)\)$/.exec(ref);
    if (collection) return `Collection(${resolve(collection[1] as string, ns, schemaAlias)})`;
    const dot = ref.indexOf('.');
    const prefix = ref.slice(0, dot);
    if (prefix === 'Edm') return ref;
    if (schemaAlias && prefix === schemaAlias) return `${ns}${ref.slice(dot)}`;
    const aliased = aliases.get(prefix);
    return aliased ? `${aliased}${ref.slice(dot)}` : ref;
  };
  for (const p of pending) p.prop.type = resolve(p.prop.type, p.ns, p.alias);
  for (const b of pendingBase) b.t.baseType = resolve(b.t.baseType as string, b.ns, b.alias);
  for (const o of pendingOps) {
    o.op.bindingType = resolve(o.op.bindingType, o.ns, o.alias);
    if (o.op.returnType) o.op.returnType = resolve(o.op.returnType, o.ns, o.alias);
  }

  const model = { types, enums, entitySets, singletons, operations };
  if (file === CSDL_PATH) cached = model;
  return model;
}

function qualify(model: CsdlModel, typeName: string): string {
  const name = typeName.replace(/^#/, '');
  if (model.types.has(name) || model.enums.has(name)) return name;
  return `microsoft.graph.${name}`;
}

/** All properties of a type, base types included (declared and navigation). */
export function csdlProperties(typeName: string, model: CsdlModel = loadCsdl()): Map<string, CsdlProperty> {
  const out = new Map<string, CsdlProperty>();
  const chain: CsdlStructuredType[] = [];
  for (
    let t = model.types.get(qualify(model, typeName));
    t;
    t = t.baseType ? model.types.get(t.baseType) : undefined
  ) {
    chain.unshift(t);
  }
  if (chain.length === 0) throw new Error(`CSDL has no type ${typeName}`);
  for (const t of chain) for (const [k, v] of t.properties) out.set(k, v);
  return out;
}

function derivesFrom(model: CsdlModel, type: string, base: string): boolean {
  for (let t = model.types.get(type); t; t = t.baseType ? model.types.get(t.baseType) : undefined) {
    if (t.name === base) return true;
  }
  return false;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function checkValue(
  model: CsdlModel,
  type: string,
  value: unknown,
  where: string,
  nullable: boolean,
  out: string[],
): void {
  if (value === null) {
    if (!nullable) out.push(`${where}: null, but ${type} is not nullable`);
    return;
  }
  const collection = /^Collection\((.*)\)$/.exec(type);
  if (collection) {
    if (!Array.isArray(value)) {
      out.push(`${where}: expected an array of ${collection[1]}`);
      return;
    }
    value.forEach((v, i) => checkValue(model, collection[1] as string, v, `${where}[${i}]`, false, out));
    return;
  }
  const edm: Record<string, (v: unknown) => boolean> = {
    'Edm.String': (v) => typeof v === 'string',
    'Edm.Boolean': (v) => typeof v === 'boolean',
    'Edm.Int32': (v) => Number.isInteger(v),
    'Edm.Int64': (v) => Number.isInteger(v) || (typeof v === 'string' && /^-?\d+$/.test(v)),
    'Edm.Double': (v) => typeof v === 'number',
    'Edm.Single': (v) => typeof v === 'number',
    'Edm.Guid': (v) => typeof v === 'string' && GUID.test(v),
    'Edm.DateTimeOffset': (v) =>
      typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v)),
    'Edm.Date': (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v),
  };
  if (type.startsWith('Edm.')) {
    const ok = edm[type];
    if (ok && !ok(value)) out.push(`${where}: ${JSON.stringify(value)} is not a valid ${type}`);
    return;
  }
  const en = model.enums.get(type);
  if (en) {
    const parts =
      typeof value === 'string' ? (en.flags ? value.split(',').map((s) => s.trim()) : [value]) : [];
    if (parts.length === 0 || parts.some((p) => !en.members.has(p))) {
      out.push(`${where}: ${JSON.stringify(value)} is not a member of enum ${type}`);
    }
    return;
  }
  if (model.types.has(type)) {
    out.push(...checkAgainstCsdl(type, value, where, model));
    return;
  }
  out.push(`${where}: CSDL has no type ${type}`);
}

/**
 * Problems with `value` as an instance of `typeName` (`device`, `microsoft.graph.user`, …);
 * empty when it fits. Instance annotations (`@odata.context`, `x@odata.nextLink`) are ignored.
 */
export function checkAgainstCsdl(
  typeName: string,
  value: unknown,
  where = '$',
  model: CsdlModel = loadCsdl(),
): string[] {
  const out: string[] = [];
  let type = qualify(model, typeName);
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return [`${where}: expected an object of ${type}`];
  const v = value as Record<string, unknown>;
  const declared = v['@odata.type'];
  if (declared !== undefined) {
    const actual = typeof declared === 'string' ? qualify(model, declared) : '';
    if (!model.types.has(actual)) out.push(`${where}: @odata.type ${String(declared)} is not a CSDL type`);
    else if (!derivesFrom(model, actual, type))
      out.push(`${where}: @odata.type ${actual} does not derive from ${type}`);
    else type = actual;
  }
  const props = csdlProperties(type, model);
  for (const [k, val] of Object.entries(v)) {
    if (k.startsWith('@') || k.includes('@odata.')) continue;
    // A delta annotation on a relationship (`members@delta`): the changed members, each a
    // directory object by its `@odata.type` with its id (and `@removed` when it left).
    const delta = /^([A-Za-z]+)@delta$/.exec(k);
    if (delta) {
      const nav = props.get(delta[1] as string);
      if (!nav?.navigation) out.push(`${where}.${k}: ${delta[1]} is not a relationship of ${type}`);
      else checkValue(model, nav.type, val, `${where}.${k}`, false, out);
      continue;
    }
    const p = props.get(k);
    if (!p) {
      out.push(`${where}.${k}: not a property of ${type}`);
      continue;
    }
    checkValue(model, p.type, val, `${where}.${k}`, p.nullable, out);
  }
  return out;
}

/** What a Graph URL template resolves to in the CSDL, step by step. */
export interface CsdlPathResolution {
  /** The type the path addresses (the element type when `collection`). */
  type: string;
  collection: boolean;
  /** Each segment's contract element: `EntitySet devices`, `key`, `NavigationProperty registeredOwners`, … */
  steps: string[];
}

function elementOf(type: string): { type: string; collection: boolean } {
  const m = /^Collection\((.*)\)$/.exec(type);
  return m ? { type: m[1] as string, collection: true } : { type, collection: false };
}

/**
 * Resolves a route template such as `/devices(deviceId='{id}')`, `/users/{id}/checkMemberGroups`
 * or `/users/{id}/teamwork/installedApps/{id}/chat` against the CSDL: the first segment must be an
 * entity set or singleton of the container, `{…}` a key of a collection, `(prop='{…}')` an
 * alternate key the type declares, then navigation properties or bound actions/functions whose
 * binding parameter fits. Throws, naming the segment, when the contract has no such path.
 */
export function resolveCsdlPath(template: string, model: CsdlModel = loadCsdl()): CsdlPathResolution {
  const segments = template.split('/').filter(Boolean);
  const steps: string[] = [];
  let type = '';
  let collection = false;
  segments.forEach((seg, i) => {
    const alt = /^([A-Za-z]+)\(([A-Za-z]+)='\{[^}]+\}'\)$/.exec(seg);
    const name = alt ? (alt[1] as string) : seg;
    if (i === 0) {
      const set = model.entitySets.get(name);
      const single = model.singletons.get(name);
      if (set) {
        type = set;
        collection = true;
        steps.push(`EntitySet ${name}`);
      } else if (single) {
        type = single;
        steps.push(`Singleton ${name}`);
      } else throw new Error(`CSDL: no entity set or singleton ${name} (${template})`);
    } else if (seg === '$ref') {
      // An OData entity reference to a collection-valued navigation (`members/$ref`): a write of links.
      if (!collection) throw new Error(`CSDL: $ref follows no collection navigation (${template})`);
      steps.push('$ref');
      return;
    } else if (/^\{[^}]+\}$/.test(seg)) {
      if (!collection)
        throw new Error(`CSDL: ${segments.slice(0, i).join('/')} is not a collection (${template})`);
      collection = false;
      steps.push('key');
      return;
    } else {
      const nav = collection ? undefined : csdlProperties(type, model).get(name);
      if (nav?.navigation) {
        ({ type, collection } = elementOf(nav.type));
        steps.push(`NavigationProperty ${name}: ${nav.type}`);
      } else {
        const binding = collection ? `Collection(${type})` : type;
        // The overload bound to the type itself wins over one bound to a base type (`group`'s
        // `delta` returns groups; `directoryObject`'s returns directory objects).
        const fits = (model.operations.get(name) ?? []).filter((o) => {
          const b = elementOf(o.bindingType);
          return b.collection === collection && derivesFrom(model, type, b.type);
        });
        const op = fits.find((o) => elementOf(o.bindingType).type === type) ?? fits[0];
        if (!op)
          throw new Error(`CSDL: ${binding} has no navigation or bound operation ${name} (${template})`);
        steps.push(`${op.kind} ${name}(${op.bindingType}) → ${op.returnType ?? 'nothing'}`);
        ({ type, collection } = elementOf(op.returnType ?? 'Edm.Untyped'));
      }
    }
    if (alt) {
      const key = alt[2] as string;
      const declared = model.types.get(type)?.alternateKeys.has(key);
      if (!collection || !declared)
        throw new Error(`CSDL: ${type} declares no alternate key ${key} (${template})`);
      collection = false;
      steps.push(`alternate key ${key}`);
    }
  });
  return { type, collection, steps };
}

/**
 * A property as a reader of `typeName` can meet it: declared on the type (or a base), else on a
 * type derived from it — Graph serves derived types in a base-typed collection (`directoryObject`
 * members are users, devices, groups, marked by `@odata.type`). Null when no such type has it.
 */
export function findCsdlProperty(
  typeName: string,
  name: string,
  model: CsdlModel = loadCsdl(),
): { declaringType: string; property: CsdlProperty } | null {
  const type = qualify(model, typeName);
  const own = csdlProperties(type, model).get(name);
  if (own) return { declaringType: type, property: own };
  for (const t of model.types.values()) {
    if (t.name === type || !derivesFrom(model, t.name, type)) continue;
    const p = t.properties.get(name);
    if (p) return { declaringType: t.name, property: p };
  }
  return null;
}
