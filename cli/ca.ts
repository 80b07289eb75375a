/** `npm run ca -- <command>`: creates the production CA, the gateway's own certificates, and the first administrators' certificates. */
import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  administratorUri,
  ADMIN_ROLES,
  AuthorityError,
  CertificateRequestError,
  initCertificateAuthority,
  issueCertificate,
  issueGatewayCertificates,
  loadCertificateAuthority,
  readCertificationRequest,
  roleUri,
  type AdminRole,
} from '../certs/index.ts';
import { createCertificateStore, migrate, openDatabase } from '../gateway/store/index.ts';
import { describeCertificate } from '../gateway/trust/trust-service.ts';

const USAGE = `Usage:
  npm run ca -- init --dir <dir> --name <CA common name> --organization <org> [--country BG] [--days 3650] [--passphrase-file <file>]
  npm run ca -- gateway-certs --ca-dir <dir> --dir <dir> --host <hostname> [--host ...] [--name referral-gateway]
                              [--organization <org>] [--days 397] [--passphrase-file <file>]
  npm run ca -- issue-admin --ca-dir <dir> --csr <file> --name <admin name> --role <role> [--role ...] --out <file>
                            --database-url <postgres://...> [--days 90] [--passphrase-file <file>]
Roles: ${ADMIN_ROLES.join(', ')}.`;

const DAY = 86_400_000;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      dir: { type: 'string' }, 'ca-dir': { type: 'string' }, name: { type: 'string' }, organization: { type: 'string' },
      country: { type: 'string' }, days: { type: 'string' }, 'passphrase-file': { type: 'string' }, host: { type: 'string', multiple: true },
      csr: { type: 'string' }, role: { type: 'string', multiple: true }, out: { type: 'string' }, 'database-url': { type: 'string' },
    },
  });
  const passphrase = values['passphrase-file'] ? readFileSync(values['passphrase-file'], 'utf8').trimEnd() : undefined;
  const loadCa = (dir: string) => loadCertificateAuthority({ certFile: `${dir}/ca.pem`, keyFile: `${dir}/ca-key.pem`, ...(passphrase ? { passphrase } : {}) });

  if (command === 'init' && values.dir && values.name && values.organization) {
    const files = initCertificateAuthority({
      dir: values.dir, commonName: values.name, organization: values.organization, validityDays: Number(values.days ?? 3650),
      ...(values.country ? { country: values.country } : {}), ...(passphrase ? { passphrase } : {}),
    });
    console.log(`CA written: ${files.certFile}, key ${files.keyFile} (mode 600${passphrase ? ', encrypted' : ', NOT encrypted'}).`);
    return 0;
  }
  if (command === 'gateway-certs' && values['ca-dir'] && values.dir && values.host?.length) {
    const written = issueGatewayCertificates({
      ca: loadCa(values['ca-dir']), dir: values.dir, hostnames: values.host, name: values.name ?? 'referral-gateway',
      organization: values.organization ?? 'Referral Gateway', validityDays: Number(values.days ?? 397),
    });
    console.log(`Issued: ${Object.values(written).join(', ')} (keys beside them, mode 600). The gateway records them at start.`);
    return 0;
  }
  if (command === 'issue-admin' && values['ca-dir'] && values.csr && values.name && values.role?.length && values.out && values['database-url']) {
    const roles = values.role.filter((r): r is AdminRole => (ADMIN_ROLES as readonly string[]).includes(r));
    if (roles.length !== values.role.length) throw new AuthorityError(`Unknown role; roles are ${ADMIN_ROLES.join(', ')}.`);
    const ca = loadCa(values['ca-dir']);
    const now = Date.now();
    const certPem = issueCertificate({
      ca, publicKeyPem: readCertificationRequest(readFileSync(values.csr, 'utf8')).publicKeyPem, purpose: 'client',
      subject: { commonName: values.name }, uris: [administratorUri(values.name), ...roles.map(roleUri)],
      notBefore: new Date(now - 60_000), notAfter: new Date(Math.min(now + Number(values.days ?? 90) * DAY, Date.parse(new X509Certificate(ca.certPem).validTo))),
    });
    // Recorded like any certificate the API issues, so it is listed, audited and revocable.
    const db = await openDatabase({ url: values['database-url'] });
    try {
      await migrate(db);
      await createCertificateStore(db).record(describeCertificate(certPem, 'ca-cli'));
    } finally {
      await db.close();
    }
    writeFileSync(values.out, certPem);
    console.log(`Issued ${values.out} for administrator ${values.name} (${roles.join(', ')}), recorded in the gateway store.`);
    return 0;
  }
  console.error(USAGE);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error instanceof AuthorityError || error instanceof CertificateRequestError ? error.message : error);
    process.exitCode = 1;
  },
);
