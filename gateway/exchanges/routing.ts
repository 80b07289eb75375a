/** The routing rules of the participant registry for a submission. */
import type { NewExchange } from '../../schemas/index.ts';
import type { Caller } from '../access/caller.ts';
import { GatewayError } from '../errors.ts';
import type { ParticipantRegistry } from '../participants/participant-registry.ts';

/** The routing rules of the registry; each failure names the offending recipient by pointer. */
export function authorise(caller: Caller, message: NewExchange, registry: ParticipantRegistry): void {
  if (caller.kind !== 'participant' || caller.participantId !== message.sender) {
    throw new GatewayError('GW_SENDER_MISMATCH', {
      detail: caller.kind === 'participant'
        ? `The certificate names ${caller.participantId}; sender says ${message.sender}.`
        : 'Administrators cannot send exchanges.',
      violations: [{ pointer: '/sender', message: 'must be the participant named by the client certificate', keyword: 'identity' }],
    });
  }
  if (!registry.maySend(message.sender, message.type)) {
    throw new GatewayError('GW_SENDER_MAY_NOT_SEND_TYPE', { detail: `${message.sender} may not send ${message.type} messages.` });
  }
  const recipients = message.recipients.map((recipient, index) => ({ recipient, pointer: `/recipients/${index}` }));
  const self = recipients.filter((r) => r.recipient === message.sender);
  if (self.length > 0) {
    throw new GatewayError('GW_SENDER_IS_RECIPIENT', { violations: self.map((r) => ({ pointer: r.pointer, message: 'is the sender', keyword: 'routing' })) });
  }
  const unknown = recipients.filter((r) => !registry.get(r.recipient));
  if (unknown.length > 0) {
    throw new GatewayError('GW_UNKNOWN_RECIPIENT', {
      detail: `Not registered: ${unknown.map((r) => r.recipient).join(', ')}.`,
      violations: unknown.map((r) => ({ pointer: r.pointer, message: 'is not a registered participant', keyword: 'routing' })),
    });
  }
  const suspended = recipients.filter((r) => registry.isSuspended(r.recipient));
  if (suspended.length > 0) {
    throw new GatewayError('GW_RECIPIENT_SUSPENDED', {
      detail: `Suspended by an operator: ${suspended.map((r) => r.recipient).join(', ')}. Send without them, or once reinstated.`,
      violations: suspended.map((r) => ({ pointer: r.pointer, message: 'is suspended', keyword: 'routing' })),
    });
  }
  const refusing = recipients.filter((r) => !registry.accepts(r.recipient, message.type, message.schemaVersion));
  if (refusing.length > 0) {
    throw new GatewayError('GW_RECIPIENT_DOES_NOT_ACCEPT_TYPE', {
      detail: `${refusing.map((r) => r.recipient).join(', ')} do(es) not accept ${message.type} ${message.schemaVersion}.`,
      violations: refusing.map((r) => ({ pointer: r.pointer, message: `does not accept ${message.type} ${message.schemaVersion}`, keyword: 'routing' })),
    });
  }
}
