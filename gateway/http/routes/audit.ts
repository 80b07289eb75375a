/** `/v1/audit`: signed checkpoints and consistency proofs for anyone authenticated; entries, inclusion proofs and the log for auditors (and a participant's own entries); the subject access report for consent officers and auditors. */
import { type Router, type Request } from 'express';
import type { Validators } from '../../../schemas/index.ts';
import type { AuditLog } from '../../audit/audit-log.ts';
import type { SubjectAccess } from '../../audit/subject-access.ts';
import type { Evidence } from '../../audit/evidence.ts';
import { isUuid } from '../../../schemas/index.ts';
import { GatewayError } from '../../errors.ts';
import { callerOf } from '../authenticate.ts';
import { queryReader } from '../query.ts';
import { strictRouter } from '../router.ts';

/** The audit routes, relative to `/v1`. */
export function auditRoutes(audit: AuditLog, subjectAccess: SubjectAccess, evidence: Evidence, validators: Validators): Router {
  const router = strictRouter();
  const checkpointsQuery = queryReader<{ before?: number; limit: number }>(validators, 'listAuditCheckpoints');
  const consistencyQuery = queryReader<{ from: number; to?: number }>(validators, 'getAuditConsistency');
  const searchQuery = queryReader<{ from?: string; to?: string; actor?: string; action?: string; exchangeId?: string; participant?: string; after?: number; limit: number }>(validators, 'searchAuditEntries');
  const proofQuery = queryReader<{ checkpoint?: number }>(validators, 'getAuditInclusionProof');
  const logQuery = queryReader<{ start: number; limit: number }>(validators, 'readAuditLog');
  const subjectQuery = queryReader<{ subject: string }>(validators, 'getSubjectAccessReport');

  router.get('/audit/checkpoints', async (req, res) => {
    res.json({ items: await audit.checkpoints(callerOf(res), checkpointsQuery(req)) });
  });
  router.get('/audit/consistency', async (req, res) => {
    const { from, to } = consistencyQuery(req);
    res.json(await audit.consistency(callerOf(res), from, to));
  });
  router.get('/audit/entries', async (req, res) => {
    const { from, to, ...rest } = searchQuery(req);
    const items = await audit.search(callerOf(res), { ...rest, ...(from ? { from: new Date(from) } : {}), ...(to ? { to: new Date(to) } : {}) });
    res.json({ items, ...(items.length === rest.limit ? { next: items[items.length - 1]!.entry.seq } : {}) });
  });
  router.get('/audit/entries/:seq', async (req, res) => {
    res.json(await audit.entry(callerOf(res), seqOf(req)));
  });
  router.get('/audit/entries/:seq/proof', async (req, res) => {
    res.json(await audit.proof(callerOf(res), seqOf(req), proofQuery(req).checkpoint));
  });
  router.get('/audit/log', async (req, res) => {
    const { start, limit } = logQuery(req);
    const items = await audit.log(callerOf(res), start, limit);
    res.json({ items, ...(items.length === limit ? { next: items[items.length - 1]!.position + 1 } : {}) });
  });
  router.get('/audit/evidence/:exchangeId', async (req, res) => {
    const id = req.params.exchangeId as string;
    if (!isUuid(id)) throw new GatewayError('GW_VALIDATION_FAILED', { violations: [{ pointer: '#/path/exchangeId', message: 'must be a UUID', keyword: 'format' }] });
    const { body, signature } = await evidence.bundle(callerOf(res), id);
    res.setHeader('Referral-Evidence-Signature', signature);
    res.setHeader('Content-Disposition', `attachment; filename="evidence-${id}.json"`);
    res.type('application/json').send(body);
  });
  router.get('/audit/subject-access', async (req, res) => {
    res.json(await subjectAccess.report(callerOf(res), subjectQuery(req).subject));
  });
  return router;
}

function seqOf(req: Request): number {
  const raw = req.params.seq as string;
  if (!/^[1-9]\d{0,14}$/.test(raw)) {
    throw new GatewayError('GW_VALIDATION_FAILED', { violations: [{ pointer: '#/path/seq', message: 'must be a positive integer (an entry\'s seq)', keyword: 'type' }] });
  }
  return Number(raw);
}
