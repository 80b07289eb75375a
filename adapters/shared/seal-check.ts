/**
 * How a careful agency system checks the gateway's seal, with a standard JWS library
 * (`jose`), not the gateway's own code: the sealer's certificate must be issued by the
 * gateway CA, and the detached JWS must verify over exactly the bytes received. The
 * simulated agency systems use it; agencies can copy it.
 */
import { X509Certificate } from 'node:crypto';
import { compactVerify, importX509 } from 'jose';

/** A checker for seals of the gateway whose CA is `caPem`; sealer keys are imported once. */
export function createSealCheck(caPem: string): (seal: unknown, payload: Buffer | string) => Promise<boolean> {
  const ca = new X509Certificate(caPem);
  const keys = new Map<string, Promise<CryptoKey | undefined>>();
  const keyOf = (der: string) => {
    let key = keys.get(der);
    if (!key) {
      const sealer = new X509Certificate(Buffer.from(der, 'base64'));
      const trusted = sealer.checkIssued(ca) && sealer.verify(ca.publicKey);
      keys.set(der, (key = trusted ? importX509(sealer.toString(), sealer.publicKey.asymmetricKeyType === 'ed25519' ? 'EdDSA' : 'RS256') : Promise.resolve(undefined)));
    }
    return key;
  };
  return async (seal, payload) => {
    if (typeof seal !== 'string') return false;
    const [header, , signature] = seal.split('.');
    try {
      const { x5c } = JSON.parse(Buffer.from(header!, 'base64url').toString('utf8')) as { x5c: string[] };
      const key = await keyOf(x5c[0]!);
      if (!key) return false;
      await compactVerify(`${header}.${Buffer.from(payload).toString('base64url')}.${signature}`, key);
      return true;
    } catch {
      return false;
    }
  };
}
