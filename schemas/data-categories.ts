/** The field → data-category map, read from the `x-data-category` marks in the contract. */
import type { OpenApiDocument, SchemaNode } from './contract.ts';

/** The categories of personal data a legal basis can cover (DESIGN §6). */
export const DATA_CATEGORIES = [
  'identity',
  'contact',
  'location',
  'health',
  'exploitation',
  'needs-and-services',
  'legal-proceedings',
  'family',
] as const;

/** One category of personal data. */
export type DataCategory = (typeof DATA_CATEGORIES)[number];

/** Where a category mark sits: a payload property path, `*` standing for array items. */
export interface CategorisedField {
  /** E.g. `/payload/subject/identity` or `/payload/immediateNeeds`. */
  path: string;
  category: DataCategory;
}

/** The category map of one message schema, and the properties nobody marked. */
export interface CategoryMap {
  fields: CategorisedField[];
  /** Case metadata every recipient receives (`x-case-metadata: true`). */
  caseMetadata: string[];
  /** Payload properties with neither mark; the contract is incomplete while any exist. */
  unmarked: string[];
}

const MESSAGE_SCHEMAS = {
  alert: 'AlertPayload',
  referral: 'ReferralPayload',
  'referral-response': 'ReferralResponsePayload',
  'case-transfer': 'CaseTransferPayload',
  'case-update': 'CaseUpdatePayload',
} as const;

/** The message types and the payload schema of each. */
export type PayloadSchemaName = (typeof MESSAGE_SCHEMAS)[keyof typeof MESSAGE_SCHEMAS];

/**
 * Walks each message type's payload schema. A property marked with `x-data-category`
 * covers everything beneath it; one marked `x-case-metadata` is not personal data by
 * itself; an object without either is walked into. Anything else is `unmarked`.
 */
export function buildCategoryMaps(document: OpenApiDocument): Record<keyof typeof MESSAGE_SCHEMAS, CategoryMap> {
  const schemas = document.components.schemas;
  const resolve = (node: SchemaNode): SchemaNode => {
    const ref = node.$ref;
    if (typeof ref !== 'string') return node;
    const target = schemas[ref.replace('#/components/schemas/', '')];
    if (!target) throw new RangeError(`buildCategoryMaps: unresolved reference ${ref}`);
    return resolve(target);
  };

  const walk = (node: SchemaNode, path: string, map: CategoryMap, depth: number): void => {
    if (depth > 16) throw new RangeError(`buildCategoryMaps: ${path} nests too deep (recursive schema?)`);
    const schema = resolve(node);
    const items = schema.items as SchemaNode | undefined;
    if (schema.type === 'array' && items) return walk(items, `${path}/*`, map, depth + 1);
    const properties = schema.properties as Record<string, SchemaNode> | undefined;
    if (!properties) {
      map.unmarked.push(path);
      return;
    }
    for (const [name, property] of Object.entries(properties)) {
      const at = `${path}/${name}`;
      const category = property['x-data-category'];
      if (typeof category === 'string') {
        if (!(DATA_CATEGORIES as readonly string[]).includes(category)) {
          throw new RangeError(`buildCategoryMaps: ${at} has unknown x-data-category ${category}`);
        }
        map.fields.push({ path: at, category: category as DataCategory });
      } else if (property['x-case-metadata'] === true) {
        map.caseMetadata.push(at);
      } else {
        walk(property, at, map, depth + 1);
      }
    }
  };

  const maps = {} as Record<keyof typeof MESSAGE_SCHEMAS, CategoryMap>;
  for (const [type, schemaName] of Object.entries(MESSAGE_SCHEMAS)) {
    const map: CategoryMap = { fields: [], caseMetadata: [], unmarked: [] };
    const payload = schemas[schemaName];
    if (!payload) throw new RangeError(`buildCategoryMaps: no schema ${schemaName} in the contract`);
    walk(payload, '/payload', map, 0);
    maps[type as keyof typeof MESSAGE_SCHEMAS] = map;
  }
  return maps;
}

/** An envelope with the fields of some categories removed, and which categories were there to remove. */
export interface Projection<T> {
  document: T;
  /** Categories of which at least one field was present and removed, in `DATA_CATEGORIES` order. */
  withheld: DataCategory[];
}

/**
 * Removes from `envelope` every field whose `x-data-category` is not in `allowed`, following
 * the category map of its message type (`*` steps into every array item). The input is not
 * changed; when nothing is to be removed it is returned as it is (no copy: this runs for
 * every recipient of every acceptance). A new field is covered by marking it in the
 * contract, not by code here.
 */
export function projectEnvelope<T extends { type: string; payload?: unknown }>(envelope: T, maps: Record<string, CategoryMap>, allowed: ReadonlySet<DataCategory>): Projection<T> {
  const map = maps[envelope.type];
  if (!map) throw new RangeError(`projectEnvelope: no category map for type ${envelope.type}`);
  const removable = map.fields.filter((field) => !allowed.has(field.category) && fieldPresent(envelope, field.path));
  if (removable.length === 0) return { document: envelope, withheld: [] };
  const copy = structuredClone(envelope);
  for (const field of removable) removeAt(copy as unknown as Record<string, unknown>, field.path.split('/').slice(1));
  const removed = new Set(removable.map((f) => f.category));
  return { document: copy, withheld: DATA_CATEGORIES.filter((c) => removed.has(c)) };
}

/** Deletes the property at `steps` (with `*` over array items), wherever it is present. */
function removeAt(node: unknown, steps: string[]): void {
  if (node === null || typeof node !== 'object') return;
  const [step, ...rest] = steps as [string, ...string[]];
  if (step === '*') {
    if (Array.isArray(node)) for (const item of node) removeAt(item, rest);
    return;
  }
  const record = node as Record<string, unknown>;
  if (!(step in record)) return;
  if (rest.length === 0) delete record[step];
  else removeAt(record[step], rest);
}

/** The data categories `document` (an envelope or a recipient's copy) carries, in the contract's order. */
export function categoriesPresent(document: { type: string }, maps: Record<string, CategoryMap>): DataCategory[] {
  const map = maps[document.type];
  if (!map) throw new RangeError(`categoriesPresent: no category map for type ${document.type}`);
  const present = new Set(map.fields.filter((field) => fieldPresent(document, field.path)).map((field) => field.category));
  return DATA_CATEGORIES.filter((c) => present.has(c));
}

/** Whether anything sits at a category-map `path` in `document` (a `*` step goes into every array item). */
export function fieldPresent(document: unknown, path: string): boolean {
  const walk = (node: unknown, steps: string[]): boolean => {
    if (steps.length === 0) return true;
    if (node === null || typeof node !== 'object') return false;
    const [step, ...rest] = steps as [string, ...string[]];
    if (step === '*') return Array.isArray(node) && node.some((item) => walk(item, rest));
    return step in node && walk((node as Record<string, unknown>)[step], rest);
  };
  return walk(document, path.split('/').slice(1));
}
