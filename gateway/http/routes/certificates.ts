/** `/v1/certificates`, `/v1/ca`, `/v1/crl`: issuing, listing and revoking certificates, and what relying parties need to check them. */
import { type Request, type Response, type Router } from 'express';
import type { RevocationReason } from '../../../certs/index.ts';
import type { CertificateRequest, Validators } from '../../../schemas/index.ts';
import { callerOf, presentedSerial } from '../authenticate.ts';
import { bodyReader, queryReader } from '../query.ts';
import type { Published, TrustService } from '../../trust/trust-service.ts';
import { strictRouter } from '../router.ts';

/** The authenticated certificate routes, relative to `/v1`. */
export function certificateRoutes(trust: TrustService, validators: Validators): Router {
  const router = strictRouter();
  const requestBody = bodyReader<CertificateRequest>(validators, 'CertificateRequest');
  const revocationBody = bodyReader<{ reason: RevocationReason }>(validators, 'RevocationRequest');
  const listQuery = queryReader<{ participant?: string; expiringWithinDays?: number; limit: number }>(validators, 'listCertificates');

  router.post('/certificates', async (req, res) => {
    const issued = await trust.issue(callerOf(res), requestBody(req), presentedSerial(res));
    res.status(201).location(`/v1/certificates/${issued.serial}`).json(issued);
  });
  router.get('/certificates', async (req, res) => {
    res.json({ items: await trust.list(callerOf(res), listQuery(req)) });
  });
  router.get('/certificates/:serial', async (req, res) => {
    res.json(await trust.get(callerOf(res), req.params.serial));
  });
  router.post('/certificates/:serial/revoke', async (req, res) => {
    res.json(await trust.revoke(callerOf(res), req.params.serial, revocationBody(req).reason));
  });
  return router;
}

/** `/v1/ca` and `/v1/crl`, served without a client certificate (relying parties and auditors fetch them). */
export function publicTrustRoutes(trust: TrustService, validators: Validators): Router {
  const router = strictRouter();
  const caQuery = queryReader<{ format?: 'der' | 'pem' }>(validators, 'getCaCertificate');
  const crlQuery = queryReader<{ format?: 'der' | 'pem' }>(validators, 'getCrl');
  router.get('/v1/ca', (req, res) => {
    send(req, res, caQuery(req).format, trust.caCertificate(), 'application/pkix-cert', 'ca');
  });
  router.get('/v1/crl', async (req, res) => {
    const format = crlQuery(req).format;
    send(req, res, format, await trust.crl(), 'application/pkix-crl', 'crl');
  });
  return router;
}

function send(req: Request, res: Response, format: 'der' | 'pem' | undefined, document: Published, derType: string, name: string): void {
  const pem = format === 'pem' || (format === undefined && req.accepts([derType, 'application/x-pem-file']) === 'application/x-pem-file');
  res.setHeader('Cache-Control', 'no-cache');
  if (pem) {
    res.type('application/x-pem-file').setHeader('Content-Disposition', `inline; filename="${name}.pem"`);
    res.send(document.pem);
  } else {
    res.type(derType).setHeader('Content-Disposition', `inline; filename="${name}.der"`);
    res.send(document.der);
  }
}
