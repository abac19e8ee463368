// Progressive enhancement only: every form works without this file.
document.documentElement.classList.add('js-enabled')

function focusErrorSummary(root) {
  const summary = root.querySelector('.error-summary')
  if (summary) summary.focus()
}

document.addEventListener('DOMContentLoaded', () => focusErrorSummary(document))
document.addEventListener('htmx:afterSwap', (event) => {
  const target = event.detail && event.detail.target
  // An outerHTML swap replaces the target: look in its replacement, which keeps its id.
  const swapped = target && !target.isConnected && target.id ? document.getElementById(target.id) : target
  if (swapped) focusErrorSummary(swapped)
})

// A slider and a number box that show one value (the what-if panel): moving one moves the other.
// The box is the field that is sent; the slider is shown only when this script runs.
document.addEventListener('input', (event) => {
  const source = event.target
  const partnerId = source instanceof HTMLInputElement ? source.dataset.mirror : undefined
  if (!partnerId) return
  const partner = document.getElementById(partnerId)
  if (!(partner instanceof HTMLInputElement)) return
  const value = source.value.trim()
  if (source.type === 'range' || (value !== '' && Number.isFinite(Number(value)))) partner.value = value
})
