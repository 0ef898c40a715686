import { type Cidr, cidrContains, embeddedIpv4, type IpAddress, parseCidr } from './ip-address.ts'

const range = (text: string): Cidr => {
  const cidr = parseCidr(text)
  if (cidr === undefined) throw new Error(`built-in address range ${text} does not parse`)
  return cidr
}

/** Ranges an outbound job connection may not reach unless allow-listed (ruling T6), with their names. */
const BLOCKED_RANGES: ReadonlyArray<readonly [Cidr, string]> = [
  [range('0.0.0.0/8'), 'unspecified'],
  [range('10.0.0.0/8'), 'private'],
  [range('100.64.0.0/10'), 'carrier-grade NAT'],
  [range('127.0.0.0/8'), 'loopback'],
  [range('169.254.0.0/16'), 'link-local'],
  [range('172.16.0.0/12'), 'private'],
  [range('192.168.0.0/16'), 'private'],
  [range('224.0.0.0/4'), 'multicast'],
  [range('255.255.255.255/32'), 'broadcast'],
  [range('::/128'), 'unspecified'],
  [range('::1/128'), 'loopback'],
  [range('fc00::/7'), 'private'],
  [range('fe80::/10'), 'link-local'],
  [range('ff00::/8'), 'multicast'],
]

/** IPv6 ranges that carry an IPv4 address in their last 32 bits: judged by that IPv4 address. */
const IPV4_CARRYING_RANGES: ReadonlyArray<Cidr> = [
  range('::ffff:0:0/96'),
  range('64:ff9b::/96'),
  range('64:ff9b:1::/48'),
  range('::/96'),
]

/** Why a connection to `address` is refused, or `undefined` when it may go ahead. */
export const refusalReason = (address: IpAddress, allowList: ReadonlyArray<Cidr>): string | undefined => {
  if (allowList.some((cidr) => cidrContains(cidr, address))) return undefined
  const named = BLOCKED_RANGES.find(([cidr]) => cidrContains(cidr, address))
  if (named !== undefined) return named[1]
  if (address.family === 6 && IPV4_CARRYING_RANGES.some((cidr) => cidrContains(cidr, address))) {
    const reason = refusalReason(embeddedIpv4(address), allowList)
    return reason === undefined ? undefined : `${reason}, mapped into IPv6`
  }
  return undefined
}

/**
 * Parses the allow-list of `INTERLOCK_ALLOW_PRIVATE_TARGETS`: comma- or space-separated CIDRs or single
 * addresses. Returns the ranges, or the entries that are not valid ranges.
 */
export const parseAllowList = (
  text: string,
): { readonly ranges: ReadonlyArray<Cidr>; readonly invalid: ReadonlyArray<string> } => {
  const entries = text.split(/[\s,]+/).filter((entry) => entry !== '')
  const parsed = entries.map((entry) => [entry, parseCidr(entry)] as const)
  return {
    ranges: parsed.flatMap(([, cidr]) => (cidr === undefined ? [] : [cidr])),
    invalid: parsed.flatMap(([entry, cidr]) => (cidr === undefined ? [entry] : [])),
  }
}
