#!/usr/bin/env node
// The installed `referral-gateway` command: the operator CLI (cli/rg.ts), run through tsx.
import { register } from 'tsx/esm/api';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

register();
const { runCli } = await import(pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), 'rg.ts')).href);
process.exitCode = await runCli(process.argv.slice(2), { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s), progress: process.stderr, env: process.env });
