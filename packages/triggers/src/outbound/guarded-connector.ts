import { lookup as dnsLookup } from 'node:dns/promises'
import { buildConnector } from 'undici'
import { refusalReason } from './address-policy.ts'
import { type Cidr, type IpAddress, parseIpAddress } from './ip-address.ts'

/** Resolves a host name to every address it has (the shape of `dns.promises.lookup` with `all: true`). */
export type ResolveHost = (hostname: string) => Promise<ReadonlyArray<{ readonly address: string }>>

const systemResolve: ResolveHost = (hostname) => dnsLookup(hostname, { all: true, verbatim: true })

/** A connection refused by the SSRF guard (ruling T6). Its message names the host, address and range. */
export class TargetAddressRefused extends Error {
  readonly hostname: string
  readonly address: string
  readonly reason: string
  constructor(hostname: string, address: string, reason: string) {
    const shown = hostname === address ? address : `${hostname} (${address})`
    super(
      `ssrf: connection to ${shown} blocked (${reason} address); a job may only reach such an address when ` +
        'its range is listed in INTERLOCK_ALLOW_PRIVATE_TARGETS',
    )
    this.name = 'TargetAddressRefused'
    this.hostname = hostname
    this.address = address
    this.reason = reason
  }
}

export interface GuardedConnectorOptions {
  /** Private ranges a job may reach anyway (`INTERLOCK_ALLOW_PRIVATE_TARGETS`). */
  readonly allowPrivateTargets: ReadonlyArray<Cidr>
  /** Host name resolution; the system resolver unless a test injects its own. */
  readonly resolve?: ResolveHost
  readonly connectTimeoutMs: number
  /** Opens the socket to the checked address; undici's own connector unless a test routes it. */
  readonly connect?: buildConnector.connector
}

/**
 * An undici connector that resolves the host itself, refuses the connection when any resolved address
 * is loopback, private, link-local, CGNAT, multicast or unspecified (unless allow-listed), and then
 * connects to the very address it checked, so neither redirects nor DNS rebinding get around it.
 */
export const makeGuardedConnector = (options: GuardedConnectorOptions): buildConnector.connector => {
  const connect = options.connect ?? buildConnector({ timeout: options.connectTimeoutMs })
  const resolve = options.resolve ?? systemResolve
  return function guardedConnect(connectOptions, callback) {
    const hostname = connectOptions.hostname.replace(/^\[(.*)\]$/, '$1')
    const literal = parseIpAddress(hostname)
    const addresses: Promise<ReadonlyArray<{ readonly address: string }>> =
      literal === undefined ? resolve(hostname) : Promise.resolve([{ address: hostname }])
    addresses
      .then((resolved) => {
        const parsed = resolved.flatMap(({ address }) => {
          const ip = parseIpAddress(address)
          return ip === undefined ? [] : [[address, ip] as const]
        })
        const first = parsed[0]
        if (first === undefined) throw new Error(`ssrf: ${hostname} resolved to no IP address`)
        for (const [address, ip] of parsed)
          refuseIfBlocked(hostname, address, ip, options.allowPrivateTargets)
        connect({ ...connectOptions, hostname: first[0] }, callback)
      })
      .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), null))
  }
}

const refuseIfBlocked = (
  hostname: string,
  address: string,
  ip: IpAddress,
  allowList: ReadonlyArray<Cidr>,
) => {
  const reason = refusalReason(ip, allowList)
  if (reason !== undefined) throw new TargetAddressRefused(hostname, address, reason)
}
