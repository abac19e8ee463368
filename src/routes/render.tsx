import type { Context } from 'hono'
import type { Child } from 'hono/jsx'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { CSRF_FIELD } from '../auth/guard.js'
import { moderationMatters } from '../auth/access.js'
import { ViewerContext, type Viewer } from '../auth/viewer.js'

async function viewerOf(c: Context): Promise<Viewer> {
  const account = c.get('account') ?? null
  const moderating = c.get('moderating')
  const roles = c.get('roles') ?? []
  return {
    // Worked out only where it changes what the page offers: it reads every score of the evaluation.
    moderating: moderating === undefined || !moderationMatters(roles) ? false : await moderating(),
    account: account === null ? null : { id: account.id, name: account.name, email: account.email, admin: account.admin === 1 },
    csrfToken: c.get('csrfToken') ?? null,
    roles,
    finalised: c.get('finalised') ?? false,
    planDraft: (c.get('evaluation')?.plan_version ?? 1) === 0,
  }
}

/**
 * Every form that posts carries the session's CSRF token, added here once for all views so that no
 * form can be written without it.
 */
export function addCsrfFields(html: string, token: string | null): string {
  if (token === null) return html
  return html.replace(/<form\b([^>]*?)>/gi, (tag: string, attributes: string) =>
    /\bmethod="post"/i.test(attributes) ? `${tag}<input type="hidden" name="${CSRF_FIELD}" value="${token}"/>` : tag,
  )
}

/** Sends a full page (with its doctype) or, for htmx, a fragment. */
export async function render(c: Context, node: Child, status: ContentfulStatusCode = 200): Promise<Response> {
  const viewer = await viewerOf(c)
  const tree = <ViewerContext.Provider value={viewer}>{node}</ViewerContext.Provider>
  const html = addCsrfFields(await tree.toString(), viewer.csrfToken)
  const isPage = html.startsWith('<html')
  return c.html(isPage ? `<!DOCTYPE html>${html}` : html, status)
}

export function isHtmx(c: Context): boolean {
  return c.req.header('HX-Request') === 'true'
}
