/** What a caller may see of exchanges, and the opaque cursors of the list. */
import type { Exchange } from '../../schemas/index.ts';
import type { Caller } from '../access/caller.ts';
import { GatewayError } from '../errors.ts';
import type { StoredExchange } from '../store/index.ts';

/**
 * What `caller` may see of an exchange: everything for the sender and administrators; for a
 * recipient its own delivery, and itself as the only recipient unless `showOtherRecipients`;
 * nothing (as if it did not exist) for anyone else.
 */
export function visibleTo(caller: Caller, exchange: StoredExchange, showOtherRecipients = false): Exchange | undefined {
  if (caller.kind === 'administrator' || caller.participantId === exchange.sender) return withoutSeq(exchange);
  const own = exchange.deliveries.filter((d) => d.recipient === caller.participantId);
  if (own.length === 0) return undefined;
  return { ...withoutSeq(exchange), deliveries: own, ...(showOtherRecipients ? {} : { recipients: [caller.participantId] }) };
}

export function withoutSeq({ seq: _seq, ...exchange }: StoredExchange): Exchange {
  return exchange;
}

/** Cursors are opaque to callers: a version tag and the last sequence number seen. */
export function encodeCursor(seq: bigint): string {
  return Buffer.from(`v1:${seq}`).toString('base64url');
}

export function decodeCursor(cursor: string): bigint {
  const match = /^v1:(\d{1,18})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new GatewayError('GW_INVALID_CURSOR', { violations: [{ pointer: '#/query/cursor', message: 'is not a cursor this gateway issued', keyword: 'cursor' }] });
  return BigInt(match[1]!);
}
