import { parseAllowList } from './outbound/address-policy.ts'
import { makeOutboundHttp, type OutboundHttp } from './outbound/outbound-http.ts'

/** The outbound client tests use: the fakes listen on 127.0.0.1, which the allow-list opens. */
export const loopbackHttp = (): OutboundHttp =>
  makeOutboundHttp({ allowPrivateTargets: parseAllowList('127.0.0.1').ranges })

/** The production default: no private target allowed. */
export const guardedHttp = (): OutboundHttp => makeOutboundHttp({ allowPrivateTargets: [] })
