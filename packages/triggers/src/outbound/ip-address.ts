import { isIPv4, isIPv6 } from 'node:net'

/** An IP address as bytes: 4 for IPv4, 16 for IPv6. */
export interface IpAddress {
  readonly family: 4 | 6
  readonly bytes: Uint8Array
}

/** An address range: the first `prefix` bits of `bytes`. */
export interface Cidr {
  readonly family: 4 | 6
  readonly bytes: Uint8Array
  readonly prefix: number
}

const parseIpv4 = (text: string): Uint8Array => new Uint8Array(text.split('.').map(Number))

const parseIpv6 = (text: string): Uint8Array => {
  const lastColon = text.lastIndexOf(':')
  const dotted = text.slice(lastColon + 1)
  const [a = 0, b = 0, c = 0, d = 0] = dotted.includes('.') ? parseIpv4(dotted) : []
  const hex = dotted.includes('.')
    ? `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
    : text
  const [head = '', tail] = hex.split('::')
  const groups = (part: string) =>
    part === '' ? [] : part.split(':').map((word) => Number.parseInt(word, 16))
  const left = groups(head)
  const right = tail === undefined ? [] : groups(tail)
  const all = [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right]
  const bytes = new Uint8Array(16)
  all.forEach((group, index) => {
    bytes[index * 2] = group >> 8
    bytes[index * 2 + 1] = group & 0xff
  })
  return bytes
}

/** Parses an IPv4 or IPv6 literal (brackets and a `%zone` suffix allowed); `undefined` when it is not one. */
export const parseIpAddress = (text: string): IpAddress | undefined => {
  const bare = text.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '')
  if (isIPv4(bare)) return { family: 4, bytes: parseIpv4(bare) }
  if (isIPv6(bare)) return { family: 6, bytes: parseIpv6(bare) }
  return undefined
}

/** Parses `address/prefix`, or a bare address as a single-address range; `undefined` when invalid. */
export const parseCidr = (text: string): Cidr | undefined => {
  const [addressText = '', prefixText, extra] = text.trim().split('/')
  if (extra !== undefined) return undefined
  const address = parseIpAddress(addressText)
  if (address === undefined) return undefined
  const maximum = address.family === 4 ? 32 : 128
  if (prefixText === undefined) return { ...address, prefix: maximum }
  if (!/^\d{1,3}$/.test(prefixText)) return undefined
  const prefix = Number(prefixText)
  return prefix > maximum ? undefined : { ...address, prefix }
}

/** Whether the range holds the address (always false across families). */
export const cidrContains = (cidr: Cidr, address: IpAddress): boolean => {
  if (cidr.family !== address.family) return false
  for (let bit = 0; bit < cidr.prefix; bit++) {
    const mask = 0x80 >> (bit % 8)
    const byte = Math.floor(bit / 8)
    if (((cidr.bytes[byte] ?? 0) & mask) !== ((address.bytes[byte] ?? 0) & mask)) return false
  }
  return true
}

/** The IPv4 address carried in the last 32 bits of an IPv6 address. */
export const embeddedIpv4 = (address: IpAddress): IpAddress => ({
  family: 4,
  bytes: address.bytes.slice(12, 16),
})

/** Text form of an address, for messages. */
export const formatIpAddress = (address: IpAddress): string =>
  address.family === 4
    ? [...address.bytes].join('.')
    : Array.from({ length: 8 }, (_, index) =>
        (((address.bytes[index * 2] ?? 0) << 8) | (address.bytes[index * 2 + 1] ?? 0)).toString(16),
      ).join(':')
