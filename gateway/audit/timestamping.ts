/**
 * RFC 3161 timestamps of signed checkpoints from a time-stamping authority the operator
 * configures: a third party's signature that the checkpoint existed at a time, so an
 * auditor need not trust the gateway's clock. The request hashes the checkpoint's compact
 * JWS (its ASCII bytes) with SHA-256, carries a nonce and asks for the TSA's certificate;
 * the reply is kept only when it is granted, answers this request and verifies to the
 * configured TSA CA. `openssl ts -verify` checks the stored token (docs/verify.md).
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { request } from 'undici';

export interface TimestampToken {
  /** DER of the RFC 3161 TimeStampToken (a CMS SignedData over TSTInfo). */
  token: Buffer;
  /** The TSA's time for it. */
  genTime: Date;
}

export interface Timestamper {
  /** The TSA's URL: recorded with each token. */
  readonly url: string;
  /** A verified token over `data`; throws (with a message naming what was wrong) otherwise. */
  stamp(data: Buffer): Promise<TimestampToken>;
}

export interface TimestamperOptions {
  url: string;
  /** PEM certificates the TSA's certificate must chain to. */
  caPem: string;
  timeoutMs?: number;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g;

const toArrayBuffer = (bytes: Uint8Array): ArrayBuffer => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

const certificatesOf = (pem: string): pkijs.Certificate[] =>
  (pem.match(PEM_BLOCK) ?? []).map((block) => pkijs.Certificate.fromBER(toArrayBuffer(Buffer.from(block.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64'))));

export function createTimestamper(options: TimestamperOptions): Timestamper {
  const trusted = certificatesOf(options.caPem);
  if (trusted.length === 0) throw new Error('audit.timestamping.caFile holds no PEM certificate');
  const timeoutMs = options.timeoutMs ?? 10_000;

  return {
    url: options.url,
    async stamp(data) {
      const digest = createHash('sha256').update(data).digest();
      const nonce = randomBytes(8);
      nonce[0] = (nonce[0]! & 0x7f) | 0x40; // a positive INTEGER in its shortest form
      const query = new pkijs.TimeStampReq({
        version: 1,
        messageImprint: new pkijs.MessageImprint({
          hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: pkijs.id_sha256 }),
          hashedMessage: new asn1js.OctetString({ valueHex: toArrayBuffer(digest) }),
        }),
        nonce: new asn1js.Integer({ valueHex: toArrayBuffer(nonce) }),
        certReq: true,
      });
      const response = await request(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/timestamp-query', accept: 'application/timestamp-reply' },
        body: Buffer.from(query.toSchema().toBER()),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const body = Buffer.from(await response.body.arrayBuffer());
      if (response.statusCode !== 200) throw new Error(`the TSA answered HTTP ${response.statusCode}`);

      let reply: pkijs.TimeStampResp;
      try {
        reply = pkijs.TimeStampResp.fromBER(toArrayBuffer(body));
      } catch {
        throw new Error('the TSA\'s reply is not an RFC 3161 TimeStampResp');
      }
      const status = reply.status.status;
      if (status !== pkijs.PKIStatus.granted && status !== pkijs.PKIStatus.grantedWithMods) {
        const said = reply.status.statusStrings?.map((s) => s.valueBlock.value).join('; ');
        throw new Error(`the TSA refused the request (status ${status}${said ? `: ${said}` : ''})`);
      }
      if (!reply.timeStampToken) throw new Error('the TSA granted the request but sent no token');
      const signed = new pkijs.SignedData({ schema: reply.timeStampToken.content });
      const eContent = signed.encapContentInfo.eContent;
      if (signed.encapContentInfo.eContentType !== pkijs.id_eContentType_TSTInfo || !eContent) throw new Error('the TSA\'s token holds no TSTInfo');
      const info = pkijs.TSTInfo.fromBER(eContent.getValue());
      if (!info.nonce || !Buffer.from(info.nonce.valueBlock.valueHexView).equals(nonce)) {
        throw new Error('the TSA\'s token does not answer this request (nonce)');
      }
      const verified = await signed.verify({ signer: 0, data: toArrayBuffer(data), trustedCerts: trusted, checkChain: true, extendedMode: true })
        .catch((error: { message?: string }) => ({ signatureVerified: false, message: error.message ?? String(error) }));
      if (!verified.signatureVerified) {
        throw new Error(`the TSA's token does not verify: ${verified.message}`);
      }
      return { token: Buffer.from(reply.timeStampToken.toSchema().toBER()), genTime: info.genTime };
    },
  };
}

/** The TSA of `audit.timestamping`, when one is configured (its CA read from `caFile`). */
export function configuredTimestamper(settings: { url: string; caFile: string; timeoutMs?: number } | undefined): { timestamper: Timestamper } | Record<string, never> {
  return settings ? { timestamper: createTimestamper({ ...settings, caPem: readFileSync(settings.caFile, 'utf8') }) } : {};
}
