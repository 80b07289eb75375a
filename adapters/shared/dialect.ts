/**
 * A dialect: how one agency system names the standard's fields and values, as a table the
 * mapping applies in both directions. Adapters whose native format is a tree (XML, JSON)
 * describe the differences — moved or renamed fields, code lists — and the rest follows a
 * naming rule, so a field added to the contract is carried without a new line of code.
 */
import type { OpenApiDocument, SchemaNode } from '../../schemas/index.ts';
import { MappingError } from '../types.ts';

/** One step of a path: a property name, or an array index. */
type Segment = string | number;
/** A leaf of a flattened document. */
type Leaf = [path: Segment[], value: unknown];

/** The table. Paths are dot paths; `*` stands for an array index and must appear as often on both sides. */
export interface DialectTable {
  /** Standard path prefix → native path prefix. The longest matching prefix wins; an empty native prefix lifts the fields one level up. */
  readonly paths: ReadonlyArray<readonly [standard: string, native: string]>;
  /** Names of segments no rule covers, each way (e.g. camelCase ↔ PascalCase). Identity when absent. */
  readonly names?: { readonly toNative: (name: string) => string; readonly toStandard: (name: string) => string };
  /** Code lists: standard leaf path → standard value → native value. Every value the contract allows there must be listed. */
  readonly codes?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Objects whose keys are data, not names (`recipientLegalBasis`: keyed by participant id): their keys are kept as they are. */
  readonly dataKeys?: readonly string[];
}

/** The table, compiled for both directions. */
export interface Dialect {
  /** The standard document (an envelope or part of one) in native names and codes. */
  toNative(standard: unknown): unknown;
  /** A native tree back in standard names and codes. `types` turns text leaves (XML) back into booleans and numbers. */
  toStandard(native: unknown, types?: LeafTypes): unknown;
  /** Where a standard JSON pointer lands in the native tree, as a pointer (for error messages in the agency's terms). */
  nativePointer(pointer: string): string;
  /** The table it was made from. */
  readonly table: DialectTable;
}

interface Rule {
  from: string[];
  to: string[];
}

/** Compiles a table. Rules are checked once: a `*` count that differs between the sides is a programming error. */
export function createDialect(table: DialectTable): Dialect {
  const split = (path: string) => (path === '' ? [] : path.split('.'));
  const rules: Rule[] = table.paths.map(([standard, native]) => {
    const rule = { from: split(standard), to: split(native) };
    if (stars(rule.from) !== stars(rule.to)) throw new RangeError(`dialect rule ${standard} → ${native}: the * counts differ`);
    return rule;
  });
  const reversed: Rule[] = rules.map((r) => ({ from: r.to, to: r.from }));
  const toNativeName = table.names?.toNative ?? ((n: string) => n);
  const toStandardName = table.names?.toStandard ?? ((n: string) => n);
  const standardDataKeys = (table.dataKeys ?? []).map(split);
  const nativeDataKeys = standardDataKeys.map((k) => rewrite(k, rules, toNativeName).map(String));
  const codes = Object.entries(table.codes ?? {}).map(([path, values]) => ({
    path: split(path),
    forward: new Map(Object.entries(values)),
    backward: new Map(Object.entries(values).map(([s, n]) => [n, s])),
  }));

  return {
    table,
    toNative(standard) {
      const leaves = flatten(standard).map(([path, value]): Leaf => {
        const code = codes.find((c) => matches(c.path, path));
        let native = value;
        if (code && typeof value === 'string') {
          native = code.forward.get(value);
          if (native === undefined) throw new MappingError(`The value at ${pattern(path)} has no code in the agency's list`, { code: 'UNMAPPABLE_VALUE', path: pattern(path) });
        }
        return [rewrite(path, rules, toNativeName, standardDataKeys), native];
      });
      return unflatten(leaves);
    },
    nativePointer(pointer) {
      const segments = pointer.split('/').slice(1).map((s): Segment => (/^\d+$/.test(s) ? Number(s) : s));
      return `/${rewrite(segments, rules, toNativeName, standardDataKeys).join('/')}`;
    },
    toStandard(native, types) {
      const leaves = flatten(native).map(([nativePath, value]): Leaf => {
        const path = rewrite(nativePath, reversed, toStandardName, nativeDataKeys);
        const code = codes.find((c) => matches(c.path, path));
        let standard = value;
        if (code) {
          standard = typeof value === 'string' ? code.backward.get(value) : undefined;
          if (standard === undefined) throw new MappingError(`The value at ${pattern(nativePath)} is not in the code list`, { code: 'UNKNOWN_CODE', path: pattern(nativePath) });
        }
        if (types && typeof standard === 'string') standard = typed(standard, types.get(pattern(path)), nativePath);
        return [path, standard];
      });
      return unflatten(leaves);
    },
  };
}

/** Standard leaf path (with `*`) → JSON type, for leaves that are not strings. */
export type LeafTypes = ReadonlyMap<string, 'boolean' | 'integer' | 'number'>;

/** The non-string leaves of the contract's messages, read from its schemas (`payload.subject.child.age` → integer). */
export function leafTypes(document: OpenApiDocument): LeafTypes {
  return contractLeaves(document).types;
}

/**
 * What the contract says about each leaf of its messages: the JSON type of those that are
 * not strings, and the code list (`enum`) of those that have one, by dot path with `*`.
 */
export function contractLeaves(document: OpenApiDocument): { types: LeafTypes; enums: ReadonlyMap<string, readonly string[]> } {
  const schemas = document.components.schemas;
  const types = new Map<string, 'boolean' | 'integer' | 'number'>();
  const enums = new Map<string, string[]>();
  const walk = (node: SchemaNode | undefined, path: string, depth: number): void => {
    if (!node || depth > 30) return;
    const ref = node.$ref;
    if (typeof ref === 'string') return walk(schemas[ref.replace('#/components/schemas/', '')], path, depth + 1);
    const type = node.type;
    if (type === 'boolean' || type === 'integer' || type === 'number') types.set(path, type);
    if (Array.isArray(node.enum) && node.enum.every((v) => typeof v === 'string')) {
      enums.set(path, [...new Set([...(enums.get(path) ?? []), ...(node.enum as string[])])]);
    }
    for (const key of ['allOf', 'oneOf', 'anyOf'] as const) {
      for (const branch of (node[key] as SchemaNode[] | undefined) ?? []) walk(branch, path, depth + 1);
    }
    for (const [name, child] of Object.entries((node.properties as Record<string, SchemaNode> | undefined) ?? {})) {
      walk(child, path ? `${path}.${name}` : name, depth + 1);
    }
    if (node.items) walk(node.items as SchemaNode, `${path}.*`, depth + 1);
  };
  walk(schemas.Message, '', 0);
  return { types, enums };
}

/** `PascalCase` ↔ `camelCase`, the usual XML naming. */
export const PASCAL_CASE = {
  toNative: (name: string) => name.charAt(0).toUpperCase() + name.slice(1),
  toStandard: (name: string) => name.charAt(0).toLowerCase() + name.slice(1),
} as const;

function typed(text: string, type: 'boolean' | 'integer' | 'number' | undefined, nativePath: Segment[]): unknown {
  if (type === undefined) return text;
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  if (type !== 'boolean' && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  throw new MappingError(`The value at ${pattern(nativePath)} must be ${type === 'boolean' ? 'true or false' : 'a number'}`, { code: 'NATIVE_INVALID', path: pattern(nativePath) });
}

const stars = (segments: string[]) => segments.filter((s) => s === '*').length;

/** Whether a rule's segments match the start of `path` (`*` matches any index). */
function matchesPrefix(rule: string[], path: Segment[]): boolean {
  if (rule.length > path.length) return false;
  return rule.every((s, i) => (s === '*' ? typeof path[i] === 'number' : s === path[i]));
}

const matches = (rule: string[], path: Segment[]) => rule.length === path.length && matchesPrefix(rule, path);

/** The path under the longest matching rule, the rest renamed one segment at a time. */
function rewrite(path: Segment[], rules: Rule[], rename: (name: string) => string, dataKeys: string[][] = []): Segment[] {
  let best: Rule | undefined;
  for (const rule of rules) if (matchesPrefix(rule.from, path) && (!best || rule.from.length > best.from.length)) best = rule;
  const start = best?.from.length ?? 0;
  // A segment right under a data-key object is a value (a participant id), never renamed.
  const rest = path.slice(start).map((s, i) => (typeof s === 'number' || dataKeys.some((k) => matches(k, path.slice(0, start + i))) ? s : rename(s)));
  if (!best) return rest;
  const indices = path.slice(0, best.from.length).filter((s): s is number => typeof s === 'number');
  const head = best.to.map((s) => (s === '*' ? indices.shift()! : s));
  return [...head, ...rest];
}

/** The path as a pattern: indices become `*`. */
const pattern = (path: Segment[]) => path.map((s) => (typeof s === 'number' ? '*' : s)).join('.');

/** Leaves of a JSON tree; empty objects and arrays are leaves too, so they survive the trip. */
function flatten(value: unknown, path: Segment[] = [], out: Leaf[] = []): Leaf[] {
  if (Array.isArray(value) && value.length > 0) value.forEach((item, i) => flatten(item, [...path, i], out));
  else if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) {
    for (const [key, child] of Object.entries(value)) flatten(child, [...path, key], out);
  } else out.push([path, value]);
  return out;
}

/** The tree back from its leaves; numeric segments make arrays. Two leaves on one path are a native document that says the same thing twice. */
function unflatten(leaves: Leaf[]): unknown {
  const root: { value?: unknown } = {};
  for (const [path, value] of leaves) {
    let parent: Record<string | number, unknown> = root as Record<string, unknown>;
    let key: Segment = 'value';
    for (const segment of path) {
      if (parent[key] === undefined) parent[key] = typeof segment === 'number' ? [] : {};
      const next = parent[key];
      if (next === null || typeof next !== 'object' || Array.isArray(next) !== (typeof segment === 'number')) {
        throw new MappingError(`The document has conflicting content at ${pattern(path)}`, { code: 'NATIVE_INVALID', path: pattern(path) });
      }
      parent = next as Record<string | number, unknown>;
      key = segment;
    }
    if (parent[key] !== undefined) throw new MappingError(`The document has two values at ${pattern(path)}`, { code: 'NATIVE_INVALID', path: pattern(path) });
    parent[key] = value;
  }
  // Arrays with holes come from native indices that skip; close them up in order.
  const compact = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.filter((n) => n !== undefined).map(compact);
    if (node !== null && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, compact(v)]));
    return node;
  };
  return compact(root.value);
}
