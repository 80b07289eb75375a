/** The participant registry: who takes part, what each may send and what each accepts. */
import type { MessageType, Participant } from '../../schemas/index.ts';

/** Read-only view of the configured participants. */
export interface ParticipantRegistry {
  list(): readonly Participant[];
  get(id: string): Participant | undefined;
  /** Whether `sender` may send messages of `type`. */
  maySend(sender: string, type: MessageType): boolean;
  /** Whether `recipient` accepts `type` in `schemaVersion`. */
  accepts(recipient: string, type: MessageType, schemaVersion: string): boolean;
}

/** A registry over the configured participants. */
export function createParticipantRegistry(participants: readonly Participant[]): ParticipantRegistry {
  const byId = new Map(participants.map((p) => [p.id, p]));
  return {
    list: () => participants,
    get: (id) => byId.get(id),
    maySend: (sender, type) => byId.get(sender)?.sends.includes(type) ?? false,
    accepts: (recipient, type, schemaVersion) =>
      byId.get(recipient)?.accepts.some((a) => a.type === type && (a.schemaVersions as string[]).includes(schemaVersion)) ?? false,
  };
}
