/** The typed client for agency integrators (the console and the CLI use it too). */
export { createReferralClient, GatewayProblem } from './referral-client.ts';
export type { ClientCredentials, ReferralClient, ReferralClientOptions } from './referral-client.ts';
