/**
 * Withdrawal codes the gateway gave this page, kept in memory only until the receipt is
 * printed: the gateway stores a hash, so a code that is lost needs a new one.
 */
const codes = new Map<string, string>();

export const rememberCode = (consentId: string, code: string): void => void codes.set(consentId, code);
export const codeOf = (consentId: string): string | undefined => codes.get(consentId);
