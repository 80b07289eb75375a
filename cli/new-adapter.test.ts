import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { CONFORMANCE_TESTS } from '../adapters/conformance/kit.ts';
import { factoryName, register, scaffoldFiles } from './new-adapter.ts';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..');

describe('npm run new-adapter', () => {
  const name = `zz-scaffold-${randomBytes(3).toString('hex')}`;
  const folder = join(root, 'adapters', name);
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('writes an adapter that type-checks and passes the conformance kit without edits', async () => {
    const scaffolded = await run('npm', ['run', '-s', 'new-adapter', '--', name, '--no-register'], { cwd: root });
    expect(scaffolded.stdout).toContain(`adapters/${name}/ written`);
    for (const file of ['index.ts', 'mapping.ts', 'transport.ts', 'index.test.ts']) expect(existsSync(join(folder, file)), file).toBe(true);
    expect(readFileSync(join(folder, 'index.ts'), 'utf8')).toContain(`name: '${name}'`);

    const tsconfig = join(folder, 'tsconfig.check.json');
    writeFileSync(tsconfig, JSON.stringify({ extends: '../../tsconfig.json', include: ['./*.ts'] }));
    await run('npx', ['tsc', '--noEmit', '-p', tsconfig], { cwd: root });
    const { stdout } = await run('npx', ['vitest', 'run', `adapters/${name}/`], { cwd: root, env: { ...process.env, CI: 'true', NO_COLOR: '1' } });
    const tests = stdout.replace(/\x1b\[[0-9;]*m/g, '');
    // Every check of the kit, none skipped.
    expect(tests).toMatch(new RegExp(`Tests\\s+\\S*${CONFORMANCE_TESTS.length} passed`));
    expect(tests).not.toMatch(/skipped|failed/);
  }, 120_000);

  it('refuses a name that exists, or cannot be a folder and an identifier', async () => {
    const refused = await run('npm', ['run', '-s', 'new-adapter', '--', 'moi'], { cwd: root }).catch((e: { code: number; stderr: string }) => e);
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining('adapters/moi exists already') });
    expect(() => scaffoldFiles('Bad_Name')).toThrow(/not a usable adapter name/);
    expect(() => scaffoldFiles('9lives')).toThrow(/not a usable adapter name/);
  });

  it('registers the adapter at the markers, once', () => {
    const registry = readFileSync(join(root, 'adapters', 'registry.ts'), 'utf8');
    const added = register(registry, 'ngo-lastrada');
    expect(added).toContain("import { ngoLastrada } from './ngo-lastrada/index.ts';\n// new-adapter: imports above this line");
    expect(added).toContain("  'ngo-lastrada': ngoLastrada,\n  // new-adapter: registrations above this line");
    expect(register(registry, 'police')).toContain('  police,\n');
    expect(() => register(added, 'ngo-lastrada')).toThrow(/registered already/);
    expect(factoryName('a-b2-c')).toBe('aB2C');
  });
});
