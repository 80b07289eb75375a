/** Loads `openapi.yaml`, the single source of truth for routes and message schemas. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** Where the contract lives: the project root. */
export const CONTRACT_PATH = fileURLToPath(new URL('../openapi.yaml', import.meta.url));

/** The parts of an OpenAPI 3.1 document the gateway reads. */
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, OpenApiOperation | unknown>>;
  components: { schemas: Record<string, SchemaNode>; [section: string]: unknown };
}

/** One operation of `paths`. */
export interface OpenApiOperation {
  operationId: string;
  parameters?: Array<OpenApiParameter | { $ref: string }>;
  security?: unknown[];
}

/** A path or query parameter. */
export interface OpenApiParameter {
  name: string;
  in: 'query' | 'path' | 'header' | 'cookie';
  required?: boolean;
  schema: SchemaNode;
}

/** A JSON Schema node as it stands in the contract. */
export type SchemaNode = { [keyword: string]: unknown };

/** The contract as text (served at `/openapi.yaml`) and as a parsed document. */
export interface Contract {
  readonly text: string;
  readonly document: OpenApiDocument;
}

/** The HTTP methods OpenAPI path items may hold. */
export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** Reads and parses the contract once; callers keep the result. */
export function loadContract(path: string = CONTRACT_PATH): Contract {
  const text = readFileSync(path, 'utf8');
  return { text, document: parse(text) as OpenApiDocument };
}

/** Every operation in the contract as `{ method, path, operationId }`, paths in OpenAPI form. */
export function listOperations(document: OpenApiDocument): Array<{ method: string; path: string; operation: OpenApiOperation }> {
  const operations = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method] as OpenApiOperation | undefined;
      if (operation) operations.push({ method, path, operation });
    }
  }
  return operations;
}
