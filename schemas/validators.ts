/** ajv validators compiled once from the contract: request bodies and query strings. */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import type { Contract, OpenApiDocument, OpenApiParameter, SchemaNode } from './contract.ts';
import { listOperations, loadContract } from './contract.ts';

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsPlugin as unknown as typeof addFormatsPlugin.default;

/** One way a document breaks the contract. `pointer` is an RFC 6901 pointer into it. */
export interface Violation {
  pointer: string;
  message: string;
  keyword: string;
}

/** A compiled check: `[]` when the value conforms. */
export type Check = (value: unknown) => Violation[];

/** The checks the gateway runs on requests. */
export interface Validators {
  /** `POST /v1/exchanges` bodies (`NewExchange`). */
  newExchange: Check;
  /** Any named schema in `components.schemas`. */
  schema(name: string): Check;
  /** The query string of an operation, with strings coerced to the declared types. */
  query(operationId: string): Check;
}

/** The id the contract's schemas are registered under inside ajv. */
const CONTRACT_ID = 'urn:referral-gateway:contract';
/** At most this many violations are reported; the rest would only repeat the same mistake. */
const MAX_VIOLATIONS = 50;

/**
 * Compiles the validators for a contract. Done once at start: compiling takes tens of
 * milliseconds, validating microseconds.
 */
export function createValidators(document: OpenApiDocument): Validators {
  const bodies = createAjv(document, false);
  const queries = createAjv(document, true);
  const cache = new Map<string, Check>();

  const schema = (name: string): Check => {
    const key = `schema:${name}`;
    let check = cache.get(key);
    if (!check) {
      if (!document.components.schemas[name]) throw new RangeError(`createValidators: no schema ${name} in the contract`);
      check = toCheck(bodies.getSchema(`${CONTRACT_ID}#/$defs/${name}`)!, '');
      cache.set(key, check);
    }
    return check;
  };

  const queryCheck = (operationId: string): Check => {
    const key = `query:${operationId}`;
    let check = cache.get(key);
    if (!check) {
      check = toCheck(queries.compile(querySchema(document, operationId)), '#/query');
      cache.set(key, check);
    }
    return check;
  };

  // Compile the hot paths now so a broken contract stops the start, not the first request.
  const newExchange = schema('NewExchange');
  for (const { operation } of listOperations(document)) queryCheck(operation.operationId);

  return { newExchange, schema, query: queryCheck };
}

function createAjv(document: OpenApiDocument, coerceTypes: boolean): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    strictRequired: false,
    strictTypes: false,
    discriminator: true,
    verbose: true,
    coerceTypes,
    useDefaults: coerceTypes,
  });
  addFormats(ajv);
  // OpenAPI and gateway annotations: meaningful to people and to the data-category map,
  // no effect on validity.
  for (const keyword of ['x-data-category', 'x-case-metadata', 'example']) ajv.addKeyword(keyword);
  ajv.addSchema({ $id: CONTRACT_ID, $defs: toJsonSchema(document.components.schemas) as SchemaNode });
  return ajv;
}

/** Rewrites OpenAPI refs to `$defs` and drops what ajv does not take (`discriminator.mapping`). */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string') {
      out[key] = value.replace('#/components/schemas/', `${CONTRACT_ID}#/$defs/`);
    } else if (key === 'discriminator' && value && typeof value === 'object') {
      out[key] = { propertyName: (value as { propertyName: string }).propertyName };
    } else {
      out[key] = toJsonSchema(value);
    }
  }
  return out;
}

/** An object schema for an operation's query parameters; unknown parameters are violations. */
function querySchema(document: OpenApiDocument, operationId: string): SchemaNode {
  const operation = listOperations(document).find((o) => o.operation.operationId === operationId);
  if (!operation) throw new RangeError(`createValidators: no operation ${operationId} in the contract`);
  const shared = (document.components as { parameters?: Record<string, OpenApiParameter> }).parameters ?? {};
  const parameters = (operation.operation.parameters ?? [])
    .map((p) => ('$ref' in p ? shared[p.$ref.replace('#/components/parameters/', '')]! : p))
    .filter((p) => p.in === 'query');
  return {
    type: 'object',
    additionalProperties: false,
    required: parameters.filter((p) => p.required).map((p) => p.name),
    properties: Object.fromEntries(parameters.map((p) => [p.name, toJsonSchema(p.schema)])),
  };
}

function toCheck(validate: ValidateFunction, prefix: string): Check {
  return (value) => (validate(value) ? [] : toViolations(validate.errors ?? [], prefix));
}

/**
 * Turns ajv errors into violations a sender can act on: the pointer names the offending
 * property itself (not its parent), and the inner errors of a failed `anyOf`/`oneOf` are
 * folded into one line.
 */
export function toViolations(errors: ErrorObject[], prefix = ''): Violation[] {
  const folded = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => `${e.schemaPath}/`);
  const violations: Violation[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (folded.some((path) => error.schemaPath.startsWith(path))) continue;
    // `if` failing only repeats what the `then`/`else` error beside it says precisely.
    if (error.keyword === 'if') continue;
    const violation = describe(error, prefix);
    const key = `${violation.pointer}\n${violation.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    violations.push(violation);
    if (violations.length === MAX_VIOLATIONS) break;
  }
  return violations;
}

function describe(error: ErrorObject, prefix: string): Violation {
  const at = (property: string) => `${prefix}${error.instancePath}/${escapePointer(property)}`;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { pointer: at(String(params.missingProperty)), message: 'is required', keyword: 'required' };
    case 'additionalProperties':
      return { pointer: at(String(params.additionalProperty)), message: 'is not allowed here', keyword: error.keyword };
    case 'unevaluatedProperties':
      return { pointer: at(String(params.unevaluatedProperty)), message: 'is not allowed here', keyword: error.keyword };
    case 'anyOf':
    case 'oneOf':
      return { pointer: `${prefix}${error.instancePath}`, message: describeAlternatives(error), keyword: error.keyword };
    case 'not': {
      const required = (error.schema as SchemaNode | undefined)?.required;
      if (Array.isArray(required) && required.length === 1) {
        return { pointer: at(String(required[0])), message: 'is assigned by the gateway and must not be sent', keyword: 'not' };
      }
      return { pointer: `${prefix}${error.instancePath}`, message: error.message ?? 'is invalid', keyword: error.keyword };
    }
    case 'discriminator':
      return {
        pointer: `${prefix}${error.instancePath}/${escapePointer(String(params.tag))}`,
        message: params.error === 'mapping' ? 'is not a known message type' : 'must be a string',
        keyword: error.keyword,
      };
    default:
      return { pointer: `${prefix}${error.instancePath}`, message: error.message ?? 'is invalid', keyword: error.keyword };
  }
}

/** "must have one of: pseudonym, identity" when every alternative only names required properties. */
function describeAlternatives(error: ErrorObject): string {
  const branches = (error.schema as SchemaNode[] | undefined) ?? [];
  const names = branches.map((b) => (Array.isArray(b.required) && Object.keys(b).length === 1 ? (b.required as string[]).join(' and ') : undefined));
  if (names.length > 0 && names.every(Boolean)) {
    return `must have ${error.keyword === 'oneOf' ? 'exactly' : 'at least'} one of: ${names.join(', ')}`;
  }
  return error.keyword === 'oneOf' ? 'must match exactly one of the allowed forms' : 'must match one of the allowed forms';
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

let shared: { contract: Contract; validators: Validators } | undefined;
/**
 * The contract in `openapi.yaml` and its validators, read and compiled once per process:
 * compiling takes a few hundred milliseconds, and the gateway, the demo's partner gateway
 * and the adapters' mappings all validate against the same contract.
 */
export function sharedContract(): { contract: Contract; validators: Validators } {
  if (!shared) {
    const contract = loadContract();
    shared = { contract, validators: createValidators(contract.document) };
  }
  return shared;
}
