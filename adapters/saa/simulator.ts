/**
 * A simulated Social Assistance Agency: a real SFTP server (the `ssh2` package) over a
 * directory on disk, and the agency's batch job working on that directory — taking the
 * gateway's documents and writing acknowledgement files, and dropping its own documents
 * for the gateway.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, fstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import ssh2, { type Connection } from 'ssh2';
import type { SimulatedSystem } from '../conformance/simulated-system.ts';
import type { SendAnswer } from '../shared/https.ts';
import type { NativeDocument } from '../types.ts';
import { DIRECTORIES, hostKeyFingerprint } from './transport.ts';

const { Server, utils } = ssh2;
const { OPEN_MODE, STATUS_CODE } = utils.sftp;

export interface SaaSimulator extends SimulatedSystem {
  /** `sftp://127.0.0.1:<port>/exchange` */
  readonly endpoint: string;
  /** Settings for the adapter: user, its private key file, the server's host key fingerprint. */
  readonly settings: { username: string; privateKeyFile: string; hostKeySha256: string };
  /** The exchange directory on disk (what the agency's own systems see). */
  readonly directory: string;
  /** Documents taken from the gateway, by file name, as read. */
  readonly documents: Map<string, Record<string, unknown>>;
  /** Stops the agency's batch job from taking documents (they stay in `from-gateway/`). */
  pause(paused: boolean): void;
  /** Drops a document in `to-gateway/` (temporary name, then rename) and waits until the gateway acknowledged it. */
  send(document: NativeDocument): Promise<SendAnswer>;
  /** Drops documents without waiting, as a batch. Returns their file names. */
  drop(documents: NativeDocument[]): string[];
}

/**
 * An Ed25519 key pair `ssh2` can read back: its generator drops a leading zero byte of the
 * public key about once in 256 keys, giving a key its own parser refuses.
 */
function sshKeyPair(): { private: string; public: string } {
  for (;;) {
    const pair = utils.generateKeyPairSync('ed25519');
    if (!(utils.parseKey(pair.public) instanceof Error) && !(utils.parseKey(pair.private) instanceof Error)) return pair;
  }
}

/** `parentDir`: where the agency's disk lives (a temporary directory by default). */
export async function createSaaSimulator(options: { parentDir?: string } = {}): Promise<SaaSimulator> {
  if (options.parentDir) mkdirSync(options.parentDir, { recursive: true });
  const base = mkdtempSync(join(options.parentDir ?? tmpdir(), 'rg-saa-'));
  // What the SFTP server shows (`/exchange/…`), and, apart from it, the gateway's key.
  const sftpRoot = join(base, 'sftp');
  const root = join(sftpRoot, 'exchange');
  for (const dir of Object.values(DIRECTORIES)) mkdirSync(join(root, dir), { recursive: true });
  const host = sshKeyPair();
  const user = sshKeyPair();
  mkdirSync(join(base, 'keys'));
  const privateKeyFile = join(base, 'keys', 'gateway_ed25519');
  writeFileSync(privateKeyFile, user.private, { mode: 0o600 });
  const allowed = utils.parseKey(user.public);
  if (allowed instanceof Error) throw allowed;
  const hostPublic = utils.parseKey(host.public);
  if (hostPublic instanceof Error) throw hostPublic;

  const documents = new Map<string, Record<string, unknown>>();
  const taken: string[] = [];
  let failWrites = 0;
  let paused = false;
  const connections = new Set<Connection>();

  const server = new Server({ hostKeys: [host.private] }, (client) => {
    connections.add(client);
    client.on('close', () => connections.delete(client));
    client.on('error', () => {});
    client.on('authentication', (ctx) => {
      if (ctx.method !== 'publickey' || ctx.username !== 'gateway' || ctx.key.algo !== allowed.type || !ctx.key.data.equals(allowed.getPublicSSH())) return ctx.reject(['publickey']);
      if (ctx.signature && ctx.blob && !allowed.verify(ctx.blob, ctx.signature, ctx.hashAlgo)) return ctx.reject(['publickey']);
      ctx.accept();
    });
    client.on('ready', () => {
      client.on('session', (accept) => {
        accept().on('sftp', (acceptSftp) => serveSftp(acceptSftp()));
      });
    });
  });

  /** SFTP over the directory: paths are confined to `sftpRoot`. */
  function serveSftp(sftp: ssh2.SFTPWrapper) {
    const handles = new Map<number, { fd?: number; entries?: string[]; path: string }>();
    let next = 0;
    const local = (path: string) => join(sftpRoot, normalize(`/${path}`));
    const handleOf = (buffer: Buffer) => handles.get(buffer.readUInt32BE(0));
    const newHandle = (entry: { fd?: number; entries?: string[]; path: string }) => {
      const buffer = Buffer.alloc(4);
      buffer.writeUInt32BE(next, 0);
      handles.set(next++, entry);
      return buffer;
    };
    const attrs = (path: string) => {
      const s = statSync(path);
      return { mode: s.mode, uid: 0, gid: 0, size: s.size, atime: Math.floor(s.atimeMs / 1000), mtime: Math.floor(s.mtimeMs / 1000) };
    };
    const guard = (reqid: number, run: () => void) => {
      try {
        run();
      } catch (error) {
        sftp.status(reqid, (error as { code?: string }).code === 'ENOENT' ? STATUS_CODE.NO_SUCH_FILE : STATUS_CODE.FAILURE);
      }
    };
    sftp.on('OPEN', (reqid, filename, flags) => guard(reqid, () => {
      // A full disk, for a while.
      if (flags & OPEN_MODE.WRITE && failWrites > 0) {
        failWrites--;
        return sftp.status(reqid, STATUS_CODE.FAILURE, 'No space left on device');
      }
      sftp.handle(reqid, newHandle({ fd: openSync(local(filename), utils.sftp.flagsToString(flags) ?? 'r'), path: local(filename) }));
    }));
    sftp.on('WRITE', (reqid, handle, offset, data) => guard(reqid, () => {
      writeSync(handleOf(handle)!.fd!, data, 0, data.length, offset);
      sftp.status(reqid, STATUS_CODE.OK);
    }));
    sftp.on('READ', (reqid, handle, offset, length) => guard(reqid, () => {
      const buffer = Buffer.alloc(length);
      const read = readSync(handleOf(handle)!.fd!, buffer, 0, length, offset);
      if (read === 0) sftp.status(reqid, STATUS_CODE.EOF);
      else sftp.data(reqid, buffer.subarray(0, read));
    }));
    sftp.on('FSTAT', (reqid, handle) => guard(reqid, () => {
      const s = fstatSync(handleOf(handle)!.fd!);
      sftp.attrs(reqid, { mode: s.mode, uid: 0, gid: 0, size: s.size, atime: Math.floor(s.atimeMs / 1000), mtime: Math.floor(s.mtimeMs / 1000) });
    }));
    sftp.on('FSETSTAT', (reqid) => sftp.status(reqid, STATUS_CODE.OK));
    sftp.on('SETSTAT', (reqid) => sftp.status(reqid, STATUS_CODE.OK));
    sftp.on('STAT', (reqid, path) => guard(reqid, () => sftp.attrs(reqid, attrs(local(path)))));
    sftp.on('LSTAT', (reqid, path) => guard(reqid, () => sftp.attrs(reqid, attrs(local(path)))));
    sftp.on('CLOSE', (reqid, handle) => guard(reqid, () => {
      const entry = handleOf(handle);
      if (entry?.fd !== undefined) closeSync(entry.fd);
      handles.delete(handle.readUInt32BE(0));
      sftp.status(reqid, STATUS_CODE.OK);
    }));
    sftp.on('OPENDIR', (reqid, path) => guard(reqid, () => sftp.handle(reqid, newHandle({ entries: readdirSync(local(path)), path: local(path) }))));
    sftp.on('READDIR', (reqid, handle) => guard(reqid, () => {
      const entry = handleOf(handle)!;
      const names = entry.entries ?? [];
      entry.entries = [];
      if (names.length === 0) return sftp.status(reqid, STATUS_CODE.EOF);
      sftp.name(reqid, names.map((filename) => ({ filename, longname: filename, attrs: attrs(join(entry.path, filename)) })));
    }));
    sftp.on('REMOVE', (reqid, path) => guard(reqid, () => {
      unlinkSync(local(path));
      sftp.status(reqid, STATUS_CODE.OK);
    }));
    sftp.on('RENAME', (reqid, from, to) => guard(reqid, () => {
      if (existsSync(local(to))) return sftp.status(reqid, STATUS_CODE.FAILURE, 'Target exists');
      renameSync(local(from), local(to));
      sftp.status(reqid, STATUS_CODE.OK);
    }));
    sftp.on('MKDIR', (reqid, path) => guard(reqid, () => {
      mkdirSync(local(path));
      sftp.status(reqid, STATUS_CODE.OK);
    }));
    sftp.on('REALPATH', (reqid, path) => sftp.name(reqid, [{ filename: normalize(`/${path}`), longname: '', attrs: {} as never }]));
  }

  // The agency's batch job: takes the gateway's documents and acknowledges each.
  const job = setInterval(() => {
    if (paused) return;
    const dir = join(root, DIRECTORIES.fromGateway);
    for (const name of readdirSync(dir).filter((n) => !n.startsWith('.'))) {
      const document = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Record<string, unknown> & { documentNumber: string; transmission: { deliveryId: string; envelopeDigest: string } };
      if (!documents.has(name)) {
        documents.set(name, document);
        taken.push(document.documentNumber);
      }
      const ack = { file: name, status: 'RECEIVED', deliveryId: document.transmission.deliveryId, envelopeDigest: document.transmission.envelopeDigest };
      const ackDir = join(root, DIRECTORIES.fromGatewayAck);
      writeFileSync(join(ackDir, `.${name}.ack.json.part`), JSON.stringify(ack));
      renameSync(join(ackDir, `.${name}.ack.json.part`), join(ackDir, `${name}.ack.json`));
      unlinkSync(join(dir, name));
    }
  }, 25);

  let port = 0;
  const listen = () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => {
    port = (server.address() as AddressInfo).port;
    resolve();
  }));
  await listen();

  let dropped = 0;
  const drop = (batch: NativeDocument[]) =>
    batch.map((document) => {
      // Names sort in the order the agency wrote them, as its batch numbers do.
      const name = `ASP_${String(++dropped).padStart(6, '0')}_${randomUUID().slice(0, 8)}.json`;
      const dir = join(root, DIRECTORIES.toGateway);
      writeFileSync(join(dir, `.${name}.part`), document.body);
      renameSync(join(dir, `.${name}.part`), join(dir, name));
      return name;
    });

  return {
    get endpoint() {
      return `sftp://127.0.0.1:${port}/exchange`;
    },
    settings: { username: 'gateway', privateKeyFile, hostKeySha256: hostKeyFingerprint(hostPublic.getPublicSSH()) },
    directory: root,
    documents,
    taken: () => taken,
    failNext(kind) {
      // Over SFTP the agency cannot refuse one document at hand-over; a full disk is what "busy" looks like.
      if (kind === 'busy') failWrites = 1;
    },
    pause(value) {
      paused = value;
    },
    drop,
    async send(document) {
      const [name] = drop([document]);
      const ackFile = join(root, DIRECTORIES.toGatewayAck, `${name}.ack.json`);
      for (let i = 0; i < 400 && !existsSync(ackFile); i++) await new Promise((r) => setTimeout(r, 25));
      // No acknowledgement yet: the file waits in to-gateway/ for the next pass; nothing to send again.
      if (!existsSync(ackFile)) return { accepted: false, detail: 'no acknowledgement file', again: false };
      const ack = JSON.parse(readFileSync(ackFile, 'utf8')) as { status: string; reason?: string };
      return { accepted: ack.status === 'ACCEPTED', detail: ack.reason ?? ack.status, again: false };
    },
    start: listen,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const c of connections) c.end();
      }),
    async close() {
      clearInterval(job);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const c of connections) c.end();
      });
      rmSync(base, { recursive: true, force: true });
    },
  };
}
