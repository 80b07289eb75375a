/** The auditors' procedure of docs/verify.md ("The audit log"), run as written in a folder holding their files. Tests only. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const section = readFileSync(new URL('../docs/verify.md', import.meta.url), 'utf8').split('## The audit log')[1]!;
/** The Python script, as the auditor saves it. */
export const AUDIT_CHECK_SCRIPT = section.match(/```python\n([\s\S]*?)```/)![1]!;
const PROCEDURE = section.match(/```sh\n([\s\S]*?)```/)![1]!;

/** Runs the procedure with `files` (e.g. `ca.pem`, `crl.pem`, `audit.jsonl`) beside the script; `ok` is its exit status. */
export function runAuditorProcedure(files: Record<string, string>): { ok: boolean; output: string } {
  const folder = mkdtempSync(join(tmpdir(), 'rg-auditor-'));
  for (const [name, content] of Object.entries({ 'audit_check.py': AUDIT_CHECK_SCRIPT, ...files })) writeFileSync(join(folder, name), content);
  const ran = spawnSync('bash', ['-euo', 'pipefail', '-c', PROCEDURE], { cwd: folder, encoding: 'utf8' });
  return { ok: ran.status === 0, output: `${ran.stdout}${ran.stderr}` };
}
