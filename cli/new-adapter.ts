/**
 * `npm run new-adapter -- <name> [--no-register]`: a new adapter folder, copied from
 * `adapters/template/` (a working JSON-over-HTTPS adapter that passes the conformance kit),
 * named, and registered in `adapters/registry.ts`. See docs/adapters.md for what to change.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ADAPTERS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'adapters');
const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const IMPORTS_MARKER = '// new-adapter: imports above this line';
const REGISTRATIONS_MARKER = '  // new-adapter: registrations above this line';

/** `ngo-lastrada` → `ngoLastrada`: the factory's name. */
export const factoryName = (name: string) => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** The template's files, renamed for `name`. */
export function scaffoldFiles(name: string): Map<string, string> {
  if (!NAME.test(name)) throw new RangeError(`"${name}" is not a usable adapter name: lower case letters, digits and single hyphens, starting with a letter`);
  const files = new Map<string, string>();
  const templateDir = join(ADAPTERS_DIR, 'template');
  for (const file of readdirSync(templateDir).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(join(templateDir, file), 'utf8');
    files.set(file, source.replace(/'template'/g, `'${name}'`).replace(/\btemplate\b/g, factoryName(name)));
  }
  return files;
}

/** The registry's source with `name` added at the markers. */
export function register(registry: string, name: string): string {
  const factory = factoryName(name);
  if (!registry.includes(IMPORTS_MARKER) || !registry.includes(REGISTRATIONS_MARKER)) throw new RangeError('registry.ts has lost its new-adapter markers');
  if (registry.includes(`'./${name}/index.ts'`)) throw new RangeError(`${name} is registered already`);
  const key = /^[a-z][a-zA-Z0-9]*$/.test(name) ? name : `'${name}'`;
  return registry
    .replace(IMPORTS_MARKER, `import { ${factory} } from './${name}/index.ts';\n${IMPORTS_MARKER}`)
    .replace(REGISTRATIONS_MARKER, `  ${key === factory ? key : `${key}: ${factory}`},\n${REGISTRATIONS_MARKER}`);
}

function main(): void {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { 'no-register': { type: 'boolean', default: false } } });
  const [name] = positionals;
  if (!name || positionals.length > 1) {
    process.stderr.write('usage: npm run new-adapter -- <name> [--no-register]\n');
    process.exit(2);
  }
  const target = join(ADAPTERS_DIR, name);
  try {
    const files = scaffoldFiles(name);
    if (existsSync(target)) throw new RangeError(`adapters/${name} exists already`);
    const registryFile = join(ADAPTERS_DIR, 'registry.ts');
    const registry = values['no-register'] ? undefined : register(readFileSync(registryFile, 'utf8'), name);
    mkdirSync(target);
    for (const [file, source] of files) writeFileSync(join(target, file), source);
    if (registry) writeFileSync(registryFile, registry);
    process.stdout.write(
      `adapters/${name}/ written (${[...files.keys()].join(', ')})${registry ? ', registered in adapters/registry.ts' : ''}.\n` +
        `Next: npx vitest run adapters/${name}   (it passes the conformance kit as it stands), then follow docs/adapters.md.\n`,
    );
  } catch (error) {
    process.stderr.write(`new-adapter: ${(error as Error).message}\n`);
    process.exit(1);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
