/** Refusals from the gateway as errors: shared by the Node client and the browser client (nothing here needs Node). */
import type { components } from '../schemas/generated/openapi.ts';

type Problem = components['schemas']['Problem'];

/** A refusal from the gateway: its problem+json, with the stable `code` and whether to retry. */
export class GatewayProblem extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(`${problem.code}: ${problem.detail ?? problem.title}`);
    this.name = 'GatewayProblem';
    this.problem = problem;
  }
  get code(): string {
    return this.problem.code;
  }
  get retryable(): boolean {
    return this.problem.retryable ?? false;
  }
}

/** The answer of a typed call, or its problem thrown as a {@link GatewayProblem}. */
export function unwrap<T>(result: { data?: T; error?: unknown }): T {
  if (result.data !== undefined) return result.data;
  throw new GatewayProblem(result.error as Problem);
}
