import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadContract } from '../schemas/index.ts';
import { ERRORS, GatewayError, PROBLEM_BASE, toProblem } from './errors.ts';

describe('the error registry', () => {
  const enumCodes = (loadContract().document.components.schemas.ErrorCode as { enum: string[] }).enum;

  it('holds exactly the codes the contract documents, in both directions', () => {
    expect(Object.keys(ERRORS).sort()).toEqual([...enumCodes].sort());
  });

  it('documents every code for integrators in docs/api.md', () => {
    const guide = readFileSync(new URL('../docs/api.md', import.meta.url), 'utf8');
    const codes = (code: string) => guide.includes(code) || guide.includes(`\`_${code.replace(/^GW_CLIENT_CERT_/, '')}\``);
    expect(Object.keys(ERRORS).filter((code) => !codes(code))).toEqual([]);
  });

  it('gives caller errors 4xx statuses and gateway errors 5xx statuses', () => {
    for (const [code, definition] of Object.entries(ERRORS)) {
      const expected = definition.category === 'caller' ? [400, 499] : [500, 599];
      expect({ code, status: definition.status >= expected[0]! && definition.status <= expected[1]! }).toEqual({ code, status: true });
    }
  });

  it('renders a problem document with the code, type URI, instance and violations', () => {
    const error = new GatewayError('GW_VALIDATION_FAILED', { detail: '1 violation', violations: [{ pointer: '/type', message: 'x', keyword: 'enum' }] });
    expect(toProblem(error, 'urn:request:1')).toEqual({
      type: `${PROBLEM_BASE}GW_VALIDATION_FAILED`,
      title: ERRORS.GW_VALIDATION_FAILED.title,
      status: 400,
      code: 'GW_VALIDATION_FAILED',
      detail: '1 violation',
      instance: 'urn:request:1',
      retryable: false,
      violations: [{ pointer: '/type', message: 'x', keyword: 'enum' }],
    });
  });
});
