/** `npm run ca -- <command>`: creates the production CA and the gateway's own certificates. */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AuthorityError, initCertificateAuthority, issueGatewayCertificates, loadCertificateAuthority } from './authority.ts';

const USAGE = `Usage:
  npm run ca -- init --dir <dir> --name <CA common name> --organization <org> [--country BG] [--days 3650] [--passphrase-file <file>]
  npm run ca -- gateway-certs --ca-dir <dir> --dir <dir> --host <hostname> [--host ...] [--name referral-gateway]
                              [--organization <org>] [--days 397] [--passphrase-file <file>]`;

function passphrase(file: string | undefined): string | undefined {
  return file ? readFileSync(file, 'utf8').trimEnd() : undefined;
}

function main(argv: string[]): number {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      dir: { type: 'string' }, 'ca-dir': { type: 'string' }, name: { type: 'string' }, organization: { type: 'string' },
      country: { type: 'string' }, days: { type: 'string' }, 'passphrase-file': { type: 'string' }, host: { type: 'string', multiple: true },
    },
  });
  const secret = passphrase(values['passphrase-file']);
  if (command === 'init' && values.dir && values.name && values.organization) {
    const files = initCertificateAuthority({
      dir: values.dir, commonName: values.name, organization: values.organization, validityDays: Number(values.days ?? 3650),
      ...(values.country ? { country: values.country } : {}), ...(secret ? { passphrase: secret } : {}),
    });
    console.log(`CA written: ${files.certFile}, key ${files.keyFile} (mode 600${secret ? ', encrypted' : ', NOT encrypted'}).`);
    return 0;
  }
  if (command === 'gateway-certs' && values['ca-dir'] && values.dir && values.host?.length) {
    const ca = loadCertificateAuthority({ certFile: `${values['ca-dir']}/ca.pem`, keyFile: `${values['ca-dir']}/ca-key.pem`, ...(secret ? { passphrase: secret } : {}) });
    const written = issueGatewayCertificates({
      ca, dir: values.dir, hostnames: values.host, name: values.name ?? 'referral-gateway',
      organization: values.organization ?? 'Referral Gateway', validityDays: Number(values.days ?? 397),
    });
    console.log(`Issued: ${Object.values(written).join(', ')} (keys beside them, mode 600).`);
    return 0;
  }
  console.error(USAGE);
  return 2;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof AuthorityError || (error instanceof Error && 'code' in error) ? error.message : error);
  process.exitCode = 1;
}
