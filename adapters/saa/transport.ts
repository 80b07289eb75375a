/**
 * SAA over SFTP. Directories under the endpoint's path, named from the agency's side:
 *
 * | directory | who writes | what |
 * |---|---|---|
 * | `from-gateway/` | gateway | documents for the agency, written as `.<name>.part`, then renamed |
 * | `from-gateway-ack/` | agency | `<name>.ack.json` once it has taken a document; the adapter turns it into a receipt and removes it |
 * | `to-gateway/` | agency | documents for the gateway (the agency too writes a temporary name, then renames) |
 * | `to-gateway-ack/` | gateway | `<name>.ack.json`: `ACCEPTED` (with the exchange id) or `REJECTED` (with the reason) |
 * | `to-gateway-processed/`, `to-gateway-rejected/` | gateway | where a document is moved once acknowledged |
 *
 * A document is moved aside only after its acknowledgement is written, and the
 * acknowledgement only after the gateway answered; a document still in `to-gateway/` after a
 * stop is simply read again, and maps to the same messageId, which the gateway answers as a
 * replay. So a stop at any point loses nothing and accepts nothing twice.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import type { Logger } from 'pino';
import { Client, type SFTPWrapper } from 'ssh2';
import { takeIn } from '../shared/intake.ts';
import { TransientDeliveryError, type Intake, type Mapping } from '../types.ts';
import { JSON_TYPE } from './mapping.ts';

export const DIRECTORIES = {
  fromGateway: 'from-gateway',
  fromGatewayAck: 'from-gateway-ack',
  toGateway: 'to-gateway',
  toGatewayAck: 'to-gateway-ack',
  processed: 'to-gateway-processed',
  rejected: 'to-gateway-rejected',
} as const;

/** How to reach the agency's SFTP server. */
export interface SftpTarget {
  host: string;
  port: number;
  /** The directory holding the exchange directories. */
  root: string;
  username: string;
  privateKey: string;
  /** The server's host key, as OpenSSH prints it (`SHA256:…`): anything else is refused. */
  hostKeySha256: string;
  timeoutMs: number;
}

/** Reads `sftp://host:port/path` and the settings into a target. */
export function sftpTarget(endpoint: string, settings: { username: string; privateKeyFile: string; hostKeySha256: string }, timeoutMs: number): SftpTarget {
  const url = new URL(endpoint);
  if (url.protocol !== 'sftp:') throw new RangeError(`saa: the endpoint must be sftp://…, not ${url.protocol}`);
  return {
    host: url.hostname, port: Number(url.port || 22), root: decodeURIComponent(url.pathname) || '/',
    username: settings.username, privateKey: readFileSync(settings.privateKeyFile, 'utf8'), hostKeySha256: settings.hostKeySha256, timeoutMs,
  };
}

/** `SHA256:<base64 without padding>` of a raw host key, as `ssh-keygen -lf` prints it. */
export const hostKeyFingerprint = (key: Buffer) => `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;

/** Promise versions of the few SFTP calls used. */
export interface Sftp {
  write(path: string, data: string): Promise<void>;
  read(path: string): Promise<string>;
  list(dir: string): Promise<string[]>;
  /** Renames, replacing `to` if it exists. */
  rename(from: string, to: string): Promise<void>;
  remove(path: string): Promise<void>;
  ensureDirectory(path: string): Promise<void>;
}

/** One SSH connection with its SFTP session, opened on first use and again after it drops. */
export function createSftpSession(target: SftpTarget, logger: Logger) {
  let session: Promise<{ client: Client; sftp: SFTPWrapper }> | undefined;
  const connect = () =>
    new Promise<{ client: Client; sftp: SFTPWrapper }>((resolve, reject) => {
      const client = new Client();
      const fail = (error: Error) => {
        session = undefined;
        client.end();
        reject(error);
      };
      client.once('error', fail);
      client.once('close', () => (session = undefined));
      client.once('ready', () => {
        client.sftp((error, sftp) => {
          if (error) return fail(error);
          client.off('error', fail);
          client.on('error', (e) => logger.warn({ err: { message: e.message } }, 'sftp connection failed'));
          resolve({ client, sftp });
        });
      });
      client.connect({
        host: target.host, port: target.port, username: target.username, privateKey: target.privateKey, readyTimeout: target.timeoutMs,
        hostVerifier: (key: Buffer) => hostKeyFingerprint(key) === target.hostKeySha256,
      });
    });
  const sftp = async () => (await (session ??= connect())).sftp;
  /** Drops the connection, so the next call opens a new one. */
  const drop = () => {
    const open = session;
    session = undefined;
    void open?.then(({ client }) => client.end(), () => {});
  };
  // A server that stops answering without closing the connection must not hold a call (or the poller) forever.
  const call = <T>(operation: string, run: (s: SFTPWrapper, done: (error: Error | null | undefined, value?: T) => void) => void) =>
    sftp().then(
      (s) =>
        new Promise<T>((resolve, reject) => {
          const timer = setTimeout(() => {
            drop();
            reject(new TransientDeliveryError(`SFTP ${operation} timed out`, { code: 'TIMEOUT' }));
          }, target.timeoutMs);
          run(s, (error, value) => {
            clearTimeout(timer);
            if (error) reject(classify(operation, error));
            else resolve(value as T);
          });
        }),
      (error: unknown) => Promise.reject(classify('connect', error as Error)),
    );

  const api: Sftp = {
    write: (path, data) => call('write', (s, done) => s.writeFile(path, data, (e) => done(e))),
    read: (path) => call<Buffer>('read', (s, done) => s.readFile(path, (e, b) => done(e, b))).then((b) => b.toString('utf8')),
    list: (dir) => call<Array<{ filename: string }>>('list', (s, done) => s.readdir(dir, (e, l) => done(e, l))).then((l) => l.map((f) => f.filename).sort()),
    rename: (from, to) =>
      call('rename', (s, done) => {
        // Servers without the POSIX rename extension get a plain SFTP rename, which refuses an existing target.
        const plain = () => s.unlink(to, () => s.rename(from, to, (e) => done(e)));
        try {
          s.ext_openssh_rename(from, to, (e) => (e ? plain() : done(undefined)));
        } catch {
          plain();
        }
      }),
    remove: (path) => call('remove', (s, done) => s.unlink(path, (e) => done(e))),
    ensureDirectory: (path) => call('mkdir', (s, done) => s.mkdir(path, (e) => done(e && (e as { code?: number }).code !== 4 ? e : undefined))),
  };
  return {
    ...api,
    async close() {
      const open = session;
      drop();
      await open?.catch(() => undefined);
    },
  };
}

/** Every SFTP failure may pass: the server comes back, a full disk is emptied, a permission is fixed. */
function classify(operation: string, error: Error & { code?: string | number; level?: string }): TransientDeliveryError {
  const code = typeof error.code === 'string' ? error.code : error.level === 'client-authentication' ? 'SFTP_AUTH' : typeof error.code === 'number' ? `SFTP_STATUS_${error.code}` : 'SFTP';
  return new TransientDeliveryError(`SFTP ${operation} failed (${code})`, { code: code.replace(/[^A-Z0-9_]/gi, '_').toUpperCase(), cause: error });
}

/** Writes one document atomically: a temporary name the agency ignores, then the final name. */
export async function writeAtomically(sftp: Sftp, dir: string, name: string, body: string): Promise<void> {
  const temporary = posix.join(dir, `.${name}.part`);
  await sftp.write(temporary, body);
  await sftp.rename(temporary, posix.join(dir, name));
}

/** One pass over the agency's outgoing documents and its acknowledgements of ours. */
export async function pollOnce(options: {
  sftp: Sftp; root: string; participantId: string; mapping: Mapping; intake: Intake; logger: Logger;
}): Promise<{ taken: number; refused: number; receipts: number; interrupted: boolean }> {
  const { sftp, root, logger } = options;
  const at = (dir: string, name = '') => posix.join(root, dir, name);
  const counts = { taken: 0, refused: 0, receipts: 0, interrupted: false };

  for (const name of (await sftp.list(at(DIRECTORIES.toGateway))).filter((n) => !n.startsWith('.'))) {
    const body = await sftp.read(at(DIRECTORIES.toGateway, name));
    const outcome = await takeIn({ contentType: JSON_TYPE, body }, options);
    if (outcome.outcome === 'unavailable') {
      // Stop here: this document and the rest wait for the next pass, in order.
      counts.interrupted = true;
      break;
    }
    const ack = outcome.outcome === 'refused'
      ? { file: name, status: 'REJECTED', code: outcome.code, reason: outcome.detail }
      : { file: name, status: 'ACCEPTED', documentNumber: outcome.messageId, ...(outcome.exchangeId ? { gatewayReference: outcome.exchangeId } : {}) };
    await writeAtomically(sftp, at(DIRECTORIES.toGatewayAck), `${name}.ack.json`, `${JSON.stringify(ack, null, 2)}\n`);
    await sftp.rename(at(DIRECTORIES.toGateway, name), at(outcome.outcome === 'refused' ? DIRECTORIES.rejected : DIRECTORIES.processed, name));
    if (outcome.outcome === 'refused') counts.refused++;
    else counts.taken++;
  }

  for (const name of (await sftp.list(at(DIRECTORIES.fromGatewayAck))).filter((n) => n.endsWith('.ack.json') && !n.startsWith('.'))) {
    let ack: { deliveryId?: unknown; envelopeDigest?: unknown; status?: unknown };
    try {
      ack = JSON.parse(await sftp.read(at(DIRECTORIES.fromGatewayAck, name))) as typeof ack;
    } catch {
      ack = {};
    }
    if (typeof ack.deliveryId !== 'string' || typeof ack.envelopeDigest !== 'string' || ack.status !== 'RECEIVED') {
      logger.warn({ file: name }, 'acknowledgement file unreadable; left in place');
      continue;
    }
    const answer = await options.intake.acknowledge({ deliveryId: ack.deliveryId, envelopeDigest: ack.envelopeDigest }).catch(() => undefined);
    if (!answer || (!answer.ok && (answer.status >= 500 || answer.status === 409))) continue; // next pass
    await sftp.remove(at(DIRECTORIES.fromGatewayAck, name));
    counts.receipts++;
  }
  return counts;
}
