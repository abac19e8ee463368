import type { Child } from 'hono/jsx'
import { useViewer } from '../src/auth/viewer.js'

export interface LayoutProps {
  title: string
  children?: Child
  /** Breadcrumbs above the page heading, from the top down; the last is the current page's parent. */
  crumbs?: { href: string; label: string }[]
}

// htmx swaps 422 responses too, so a form re-rendered with its errors replaces the old one.
// Content swapped in is settled at once (htmx waits 20 ms by default, for CSS transitions, which
// this app has none of): until it settles htmx has not taken up its forms, and a form sent in that
// moment (Enter pressed straight after a save) went as a full-page post.
const htmxConfig = JSON.stringify({
  defaultSettleDelay: 0,
  responseHandling: [
    { code: '204', swap: false },
    { code: '[23]..', swap: true },
    { code: '422', swap: true },
    { code: '[45]..', swap: false, error: true },
  ],
  allowScriptTags: false,
  includeIndicatorStyles: false,
})

export function Layout({ title, children, crumbs }: LayoutProps) {
  const viewer = useViewer()
  // htmx sends the CSRF token as a header on every request it makes; forms also carry it as a field.
  const htmxHeaders = viewer.csrfToken === null ? undefined : JSON.stringify({ 'X-CSRF-Token': viewer.csrfToken })
  return (
    <html lang="en-GB">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="htmx-config" content={htmxConfig} />
        <title>{`${title} – Options appraisal`}</title>
        <link rel="stylesheet" href="/assets/app.css" />
        <script src="/assets/htmx.min.js" defer></script>
        <script src="/assets/app.js" defer></script>
      </head>
      <body hx-headers={htmxHeaders}>
        <a class="skip-link" href="#main">
          Skip to main content
        </a>
        <header class="site-header">
          <div class="width-container">
            <a class="site-name" href="/evaluations">
              Options appraisal
            </a>
            {viewer.account !== null && (
              <nav aria-label="Main">
                <ul class="site-nav">
                  <li>
                    <a href="/evaluations">Evaluations</a>
                  </li>
                  {viewer.account.admin && (
                    <li>
                      <a href="/accounts">Accounts</a>
                    </li>
                  )}
                  <li>
                    <a href="/account/password" title="Change your password">
                      {viewer.account.name}
                    </a>
                  </li>
                  <li>
                    <form method="post" action="/sign-out" class="inline-form">
                      <button class="link-button site-nav__button" type="submit">
                        Sign out
                      </button>
                    </form>
                  </li>
                </ul>
              </nav>
            )}
          </div>
        </header>
        <div class="width-container">
          {crumbs !== undefined && crumbs.length > 0 && (
            <nav aria-label="Breadcrumb" class="breadcrumbs">
              <ol>
                {crumbs.map((c) => (
                  <li>
                    <a href={c.href}>{c.label}</a>
                  </li>
                ))}
              </ol>
            </nav>
          )}
          <main id="main" tabindex={-1}>
            {children}
          </main>
        </div>
        <footer class="site-footer">
          <div class="width-container">
            Open-source options appraisal. Figures follow HM Treasury Green Book methods; the maths is explained in the project’s docs/maths.md.
          </div>
        </footer>
      </body>
    </html>
  )
}
