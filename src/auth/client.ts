import type { Context, MiddlewareHandler } from 'hono'

/** Who sent a request, as far as the app can trust it. */
export interface Client {
  /** The client's IP address, for the sign-in throttle. */
  address: string
  /** Whether the client reached the service over HTTPS, so cookies get Secure. */
  https: boolean
}

declare module 'hono' {
  interface ContextVariableMap {
    client: Client
  }
}

function socketAddress(c: Context): string {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming
  return incoming?.socket?.remoteAddress ?? 'unknown'
}

function listHeader(c: Context, name: string): string[] {
  return (c.req.header(name) ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
}

/**
 * The client as seen through `trustProxy` proxies in front of the app (TRUST_PROXY). Each proxy adds
 * the address it heard from to the end of X-Forwarded-For, so only the last `trustProxy` entries were
 * written by proxies we trust; the entry they wrote first is the client. Anything further left was
 * sent by the client and could say anything. With no trusted proxy both headers are ignored.
 */
export function clientOf(c: Context, trustProxy: number): Client {
  const direct = { address: socketAddress(c), https: new URL(c.req.url).protocol === 'https:' }
  if (trustProxy === 0) return direct
  const forwardedFor = listHeader(c, 'X-Forwarded-For')
  const forwardedProto = listHeader(c, 'X-Forwarded-Proto')
  // The outermost trusted proxy's entry; a list shorter than the hops trusted has been written by
  // trusted proxies only, so its first entry stands.
  const address = forwardedFor.length === 0 ? direct.address : forwardedFor[Math.max(0, forwardedFor.length - trustProxy)]!
  const proto = forwardedProto.length === 0 ? undefined : forwardedProto[Math.max(0, forwardedProto.length - trustProxy)]!.toLowerCase()
  return { address, https: proto === undefined ? direct.https : proto === 'https' }
}

/** Notes the client of every request, once, for the throttle and the session cookie. */
export function identifyClient(trustProxy: number): MiddlewareHandler {
  return async (c, next) => {
    c.set('client', clientOf(c, trustProxy))
    return next()
  }
}
