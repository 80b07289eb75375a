import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runAdapterConformance } from './kit.ts';

const root = join(import.meta.dirname, '../..');

describe('the conformance kit', () => {
  it('fails an adapter that loses a field, crashes on bad input, calls a busy system a permanent failure, or logs the payload', async () => {
    const result = await promisify(execFile)('npx', ['vitest', 'run', '--config', 'adapters/conformance/fixtures/vitest.config.ts', '--root', '.'], {
      cwd: root, env: { ...process.env, CI: 'true', NO_COLOR: '1' },
    }).then(() => ({ code: 0, stdout: '', stderr: '' }), (error: { code: number; stdout: string; stderr: string }) => error);
    expect(result.code).toBe(1);
    const out = `${result.stdout}${result.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
    const failed = [...out.matchAll(/FAIL .*? > adapter conformance > (.+)$/gm)].map((m) => m[1]!.split(':')[0]!.trim());
    expect(new Set(failed)).toEqual(new Set(['round-trip', 'unmappable input', 'transient failure', 'logs no payload (names, dates, free text) at any level']));
  }, 120_000);

  it('refuses a skip without a reason, or of a test it does not have', () => {
    expect(() => runAdapterConformance({ create: async () => { throw new Error('not reached'); }, skip: [{ test: 'intake', reason: '' }] })).toThrow(/needs a reason/);
    expect(() => runAdapterConformance({ create: async () => { throw new Error('not reached'); }, skip: [{ test: 'nothing' as never, reason: 'a long enough reason' }] })).toThrow(/no test named/);
  });
});
