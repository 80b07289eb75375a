/** The contract's identifier formats, for checking ids from paths before they reach the store. */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `id` is a UUID (`format: uuid` in the contract). */
export const isUuid = (id: string): boolean => UUID.test(id);
