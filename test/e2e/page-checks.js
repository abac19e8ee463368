// Checks run inside the page (plain browser JavaScript: the project's TypeScript has no DOM types).
// The harness evaluates this file through the DevTools protocol, as it does axe-core.
globalThis.pageChecks = {
  /** Form fields a person could fill in that have no label to name them. */
  unlabelledFields() {
    const fields = [...document.querySelectorAll('input:not([type="hidden"]), select, textarea')]
    return fields
      .filter((field) => {
        const byLabel = [...(field.labels ?? [])].some((label) => label.textContent.trim() !== '')
        const byAria =
          (field.getAttribute('aria-label') ?? '').trim() !== '' ||
          (field.getAttribute('aria-labelledby') ?? '').split(/\s+/).some((id) => (document.getElementById(id)?.textContent ?? '').trim() !== '')
        return !byLabel && !byAria
      })
      .map((field) => field.outerHTML.slice(0, 160))
  },

  /** Charts (SVG images) without a title, a description and their figures as a table beside them. */
  chartsWithoutTextAlternatives() {
    const problems = []
    for (const chart of document.querySelectorAll('svg')) {
      if (chart.getAttribute('aria-hidden') === 'true') continue
      const name = chart.id || chart.outerHTML.slice(0, 80)
      const title = chart.querySelector(':scope > title')?.textContent.trim() ?? ''
      const desc = chart.querySelector(':scope > desc')?.textContent.trim() ?? ''
      const labelledBy = (chart.getAttribute('aria-labelledby') ?? '').split(/\s+/).filter(Boolean)
      if (chart.getAttribute('role') !== 'img') problems.push(`${name}: no role="img"`)
      if (title === '') problems.push(`${name}: no <title>`)
      if (desc === '') problems.push(`${name}: no <desc>`)
      const titleId = chart.querySelector(':scope > title')?.id
      const descId = chart.querySelector(':scope > desc')?.id
      if (!labelledBy.includes(titleId) || !labelledBy.includes(descId)) problems.push(`${name}: aria-labelledby does not name its title and description`)
      const holder = chart.closest('figure, section')
      const table = holder?.querySelector('table')
      if (table === null || table === undefined || table.querySelectorAll('tbody tr').length === 0) problems.push(`${name}: no table of its figures beside it`)
    }
    return problems
  },

  /** The focused element and how its focus is drawn. */
  focused() {
    const element = document.activeElement
    if (element === null || element === document.body) return null
    const style = getComputedStyle(element)
    // A radio or checkbox may draw its focus on the label beside it.
    const label = element.labels?.[0]
    const labelStyle = label === undefined ? null : getComputedStyle(label)
    const outlined = (s) =>
      s !== null && s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 && !/rgba\(\d+, \d+, \d+, 0\)|transparent/.test(s.outlineColor)
    const shadowed = (s) => s !== null && s.boxShadow !== 'none'
    const name = element.getAttribute('aria-label') || label?.textContent.trim() || element.textContent.trim() || element.getAttribute('name') || ''
    return {
      tag: element.tagName.toLowerCase(),
      id: element.id,
      type: element.getAttribute('type'),
      name: name.replace(/\s+/g, ' ').slice(0, 120),
      visible: outlined(style) || shadowed(style) || outlined(labelStyle) || shadowed(labelStyle),
      outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
      boxShadow: style.boxShadow,
    }
  },

  /** The error summary, if the page has one: its role, whether it has the focus, and where its links go. */
  errorSummary() {
    const summary = document.querySelector('.error-summary')
    if (summary === null) return null
    return {
      role: summary.getAttribute('role'),
      focused: document.activeElement === summary,
      links: [...summary.querySelectorAll('a')].map((a) => {
        const target = document.getElementById(decodeURIComponent(a.hash.slice(1)))
        return { text: a.textContent.trim(), href: a.getAttribute('href'), targetExists: target !== null, targetTag: target?.tagName.toLowerCase() ?? null }
      }),
    }
  },
}
