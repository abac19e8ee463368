import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

type Renderable = { toString(): string | Promise<string> } | null

/** Sends a full page (with its doctype) or, for htmx, a fragment. */
export async function render(c: Context, node: Renderable, status: ContentfulStatusCode = 200): Promise<Response> {
  const html = node === null ? '' : await node.toString()
  const isPage = html.startsWith('<html')
  return c.html(isPage ? `<!DOCTYPE html>${html}` : html, status)
}

export function isHtmx(c: Context): boolean {
  return c.req.header('HX-Request') === 'true'
}
