/**
 * A local RFC 3161 time-stamping authority made with `openssl ts`, served over HTTP as TSAs
 * are (POST application/timestamp-query, answer application/timestamp-reply). Its own CA,
 * or (`rogue`) a signer from a CA nobody trusts. Tests only.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LocalTsa {
  url: string;
  /** The TSA's CA certificate file (what an operator configures as `audit.timestamping.caFile`). */
  caFile: string;
  caPem: string;
  /** `up`: answers; `down`: HTTP 503; `rogue`: signs with a certificate from another CA; `refusing`: a rejection status; `replaying`: its last good reply again. */
  mode: 'up' | 'down' | 'rogue' | 'refusing' | 'replaying';
  /** Queries it answered (any mode but `down`). */
  readonly answered: number;
  close(): Promise<void>;
}

const run = (cwd: string, args: string[], input?: Buffer) => {
  const ran = spawnSync('openssl', args, { cwd, ...(input ? { input } : {}) });
  if (ran.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${ran.stderr.toString()}`);
  return ran.stdout;
};

/** A CA and a TSA signer under it (extendedKeyUsage critical timeStamping), in `dir` with `prefix`. */
function makeTsa(dir: string, prefix: string, name: string) {
  run(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${prefix}-ca-key.pem`, '-out', `${prefix}-ca.pem`, '-days', '30', '-subj', `/CN=${name} CA`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  run(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${prefix}-key.pem`, '-out', `${prefix}.csr`, '-subj', `/CN=${name}`]);
  writeFileSync(join(dir, `${prefix}.ext`), 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=critical,timeStamping\n');
  run(dir, ['x509', '-req', '-in', `${prefix}.csr`, '-CA', `${prefix}-ca.pem`, '-CAkey', `${prefix}-ca-key.pem`, '-CAcreateserial', '-out', `${prefix}.pem`, '-days', '30', '-extfile', `${prefix}.ext`]);
  writeFileSync(join(dir, `${prefix}.cnf`), `[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = ${dir}
serial = $dir/${prefix}-serial
crypto_device = builtin
signer_cert = $dir/${prefix}.pem
certs = $dir/${prefix}-ca.pem
signer_key = $dir/${prefix}-key.pem
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.1
digests = sha256
accuracy = secs:1
ordering = no
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
`);
  writeFileSync(join(dir, `${prefix}-serial`), '01\n');
  // The same TSA, accepting only SHA-512 imprints: it answers a SHA-256 query with a rejection (status 2, badAlg).
  writeFileSync(join(dir, `${prefix}-refusing.cnf`), readFileSync(join(dir, `${prefix}.cnf`), 'utf8').replace('digests = sha256', 'digests = sha512'));
}

export async function startLocalTsa(): Promise<LocalTsa> {
  const dir = mkdtempSync(join(tmpdir(), 'rg-tsa-'));
  makeTsa(dir, 'tsa', 'Test Time-Stamping Authority');
  makeTsa(dir, 'rogue', 'Rogue Time-Stamping Authority');
  let answered = 0;
  let lastGood: Buffer | undefined;
  const tsa = {
    mode: 'up' as LocalTsa['mode'],
    get answered() { return answered; },
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (tsa.mode === 'down' || req.method !== 'POST') {
        res.writeHead(503).end();
        return;
      }
      answered += 1;
      if (tsa.mode === 'replaying' && lastGood) {
        res.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(lastGood);
        return;
      }
      const query = join(dir, `query-${answered}.tsq`);
      writeFileSync(query, Buffer.concat(chunks));
      const config = { up: 'tsa.cnf', replaying: 'tsa.cnf', rogue: 'rogue.cnf', refusing: 'tsa-refusing.cnf' }[tsa.mode];
      try {
        const reply = run(dir, ['ts', '-reply', '-config', config, '-queryfile', query]);
        if (config === 'tsa.cnf') lastGood = reply;
        res.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(reply);
      } catch (error) {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(tsa, {
    url: `http://127.0.0.1:${port}/tsa`,
    caFile: join(dir, 'tsa-ca.pem'),
    caPem: readFileSync(join(dir, 'tsa-ca.pem'), 'utf8'),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
