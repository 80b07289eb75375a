/** `/v1/statistics/{year}`: the national indicators' release of a year, JSON or CSV (docs/statistics.md). */
import { type Router } from 'express';
import type { Validators } from '../../../schemas/index.ts';
import { GatewayError } from '../../errors.ts';
import { localDate } from '../../statistics/calendar.ts';
import type { Statistics } from '../../statistics/statistics.ts';
import { callerOf } from '../authenticate.ts';
import { queryReader } from '../query.ts';
import { strictRouter } from '../router.ts';

/** The routes, relative to `/v1`. */
export function statisticsRoutes(statistics: Statistics, validators: Validators): Router {
  const router = strictRouter();
  const query = queryReader<{ format: 'json' | 'csv' }>(validators, 'getStatistics');
  router.get('/statistics/:year', async (req, res) => {
    const year = /^\d{4}$/.test(req.params.year) ? Number(req.params.year) : NaN;
    if (!(year >= 2000 && year <= 2999)) {
      throw new GatewayError('GW_VALIDATION_FAILED', { detail: 'year is a calendar year, four digits from 2000.', violations: [{ pointer: '/year', keyword: 'pattern', message: 'must be a year from 2000 to 2999' }] });
    }
    const { format } = query(req);
    const release = await statistics.release(callerOf(res), year, format);
    res.setHeader('release-digest', release.digest);
    if (format === 'csv') {
      res.type('text/csv; charset=utf-8').attachment(`statistics-${year}-as-of-${localDate(new Date(release.body.asOf))}.csv`).send(release.csv);
      return;
    }
    res.json({ ...release.body, digest: release.digest, releasedAt: release.releasedAt });
  });
  return router;
}
