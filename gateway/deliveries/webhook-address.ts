/**
 * Where the gateway may POST a participant's webhook notifications. The gateway calls out
 * with its own client certificate, so a webhook URL is a request it makes on a caller's
 * say: addresses that are not public (loopback, private ranges, link-local and the cloud
 * metadata address, the gateway's own network) are refused unless an operator allow-lists
 * them for that participant. The check is made on every address the name resolves to at
 * registration, and again on the address actually connected to (no DNS rebinding).
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { GatewayError } from '../errors.ts';

const NOT_PUBLIC = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24],
  ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) NOT_PUBLIC.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128], ['::1', 128], ['64:ff9b::', 96], ['100::', 64], ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8],
] as const) NOT_PUBLIC.addSubnet(net, prefix, 'ipv6');

/** Which non-public destinations an operator allowed, per participant: CIDR ranges (`10.1.0.0/16`) or host names. */
export type WebhookAllowList = Readonly<Record<string, readonly string[]>>;

/** True when `address` (an IP) is public, or allowed for `participant`. */
export function addressAllowed(address: string, host: string, participant: string, allow: WebhookAllowList): boolean {
  const family: 'ipv4' | 'ipv6' = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  // An IPv4 address mapped into IPv6 is judged as the IPv4 address it is.
  const mapped = family === 'ipv6' && /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const [ip, kind]: [string, 'ipv4' | 'ipv6'] = mapped ? [mapped, 'ipv4'] : [address, family];
  if (!NOT_PUBLIC.check(ip, kind)) return true;
  return (allow[participant] ?? []).some((entry) => {
    if (!entry.includes('/')) return entry.toLowerCase() === host.toLowerCase();
    const [net, bits] = entry.split('/') as [string, string];
    const list = new BlockList();
    list.addSubnet(net, Number(bits), isIP(net) === 6 ? 'ipv6' : 'ipv4');
    return list.check(ip, kind);
  });
}

/** Refuses (`GW_VALIDATION_FAILED` at `/url`) a webhook URL the gateway must not call for `participant`. */
export async function checkWebhookUrl(url: string, participant: string, allow: WebhookAllowList, resolve = defaultResolve): Promise<void> {
  const refuse = (message: string) => {
    throw new GatewayError('GW_VALIDATION_FAILED', { detail: `The webhook URL ${message}.`, violations: [{ pointer: '/url', message, keyword: 'webhook' }] });
  };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return refuse('is not a URL');
  }
  if (parsed.protocol !== 'https:') refuse('must be https');
  if (parsed.username || parsed.password) refuse('may not carry credentials (authenticate the gateway by its client certificate instead)');
  // The URL parser has already turned 0x7f000001, 2130706433 and the like into dotted form.
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : await resolve(host).catch(() => refuse(`names a host that does not resolve (${host})`) as never);
  const refused = addresses.filter((a) => !addressAllowed(a, host, participant, allow));
  if (refused.length > 0) refuse(`resolves to an address that is not public (${refused.join(', ')}); an operator can allow it for this participant`);
}

async function defaultResolve(host: string): Promise<string[]> {
  return (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
}
