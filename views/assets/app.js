// Progressive enhancement only: every form works without this file.
document.documentElement.classList.add('js-enabled')

function focusErrorSummary(root) {
  const summary = root.querySelector('.error-summary')
  if (summary) summary.focus()
}

document.addEventListener('DOMContentLoaded', () => focusErrorSummary(document))
document.addEventListener('htmx:afterSwap', (event) => {
  const target = event.detail && event.detail.target
  if (target) focusErrorSummary(target)
})
