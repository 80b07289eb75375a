/** Generates `schemas/generated/openapi.ts` from the contract (`npm run generate`). */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { CONTRACT_PATH, loadContract } from './contract.ts';

/** The committed file; a test fails when it differs from a fresh generation. */
export const GENERATED_TYPES_PATH = fileURLToPath(new URL('./generated/openapi.ts', import.meta.url));

const HEADER = `// Generated from openapi.yaml by \`npm run generate\` — do not edit.\n/* eslint-disable */\n`;

/** The text the generator produces for the current contract. */
export async function generateTypes(contractPath: string = CONTRACT_PATH): Promise<string> {
  const { document } = loadContract(contractPath);
  const ast = await openapiTS(document as never, { alphabetize: false, exportType: false });
  return HEADER + astToString(ast);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(GENERATED_TYPES_PATH, await generateTypes());
  console.log(`wrote ${GENERATED_TYPES_PATH}`);
}
