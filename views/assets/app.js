// Progressive enhancement only: every form works without this file.
document.documentElement.classList.add('js-enabled')

function focusErrorSummary(root) {
  const summary = root.querySelector('.error-summary')
  if (summary) summary.focus()
}

document.addEventListener('DOMContentLoaded', () => focusErrorSummary(document))
document.addEventListener('htmx:afterSwap', (event) => {
  const target = event.detail?.target
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

// An answer is saved as it is typed (a second after the last keystroke, and whenever a field is
// left or a score chosen), complete or not: short of complete it is kept as a draft, counted nowhere.
// Save sends it too, and then the server says what it still lacks.

// Which answers hold a change not yet saved: leaving the page then warns, and sends them as it goes.
const unsaved = new Set()
document.addEventListener('input', (event) => {
  const form = event.target instanceof Element ? event.target.closest('form[data-autosave]') : null
  if (form) unsaved.add(form.id)
})
document.addEventListener('htmx:afterRequest', (event) => {
  const form = event.detail?.elt
  if (!(form instanceof HTMLFormElement) || !form.dataset.autosave || !event.detail.successful) return
  const sent = sentAnswers.get(form)
  const now = answerValues(form)
  if (sent && Object.keys(now).every((name) => now[name] === sent[name])) unsaved.delete(form.id)
})
window.addEventListener('beforeunload', (event) => {
  if (unsaved.size === 0) return
  event.preventDefault()
  event.returnValue = ''
})
// Going anyway (or the tab closed): the answers still unsaved are sent as the page goes, with the
// form's own token, as a plain form post would send them.
window.addEventListener('pagehide', () => {
  for (const id of unsaved) {
    const form = document.getElementById(id)
    if (form instanceof HTMLFormElement) navigator.sendBeacon(form.action, new FormData(form))
  }
  unsaved.clear()
})

// A saved answer that shows no errors keeps its form: only its version and "Saved at" change. Put
// back whole, the form would lose what the person typed meanwhile in its next field, and a save
// queued behind this one (a score picked just after leaving the rationale) would be dropped.
document.addEventListener('htmx:beforeSwap', (event) => {
  const form = event.detail.elt
  if (!(form instanceof HTMLFormElement) || !form.dataset.autosave) return
  if (event.detail.xhr.status !== 200 || form.querySelector('.form-group--error, .error-summary') !== null) return
  const saved = new DOMParser().parseFromString(event.detail.serverResponse, 'text/html').getElementById(form.id)
  const version = saved?.querySelector('input[name="version"]')
  const status = saved?.querySelector('.answer__status')
  if (!version || !status) return
  form.querySelector('input[name="version"]').value = version.value
  form.querySelector('.answer__status').textContent = status.textContent
  form.querySelector('.answer__status').className = status.className
  // The link to the document the evidence is in, at its page, as saved.
  const link = saved.querySelector('.answer__evidence-link')
  form.querySelector('.answer__evidence-link')?.remove()
  if (link) form.querySelector('.answer__where')?.after(link)
  event.detail.shouldSwap = false
})

// An answer form that is put back whole (it showed errors, or comes back with them) must not lose
// what the person typed while its save was on the way: those fields are carried into the new form,
// the focus goes back where it was, and the carried answer is saved in its turn. (A save queued
// behind the first, Enter on Save say, went with the old form.)
function answerValues(form) {
  const field = (selector) => form.querySelector(selector)
  const checked = field('input[name="score"]:checked')
  return {
    score: checked ? checked.value : '',
    rationale: field('textarea[name="rationale"]') ? field('textarea[name="rationale"]').value : '',
    evidence: field('input[name="evidence"]') ? field('input[name="evidence"]').value : '',
    evidenceDocument: field('select[name="evidenceDocument"]') ? field('select[name="evidenceDocument"]').value : '',
    evidencePage: field('input[name="evidencePage"]') ? field('input[name="evidencePage"]').value : '',
  }
}
const sentAnswers = new WeakMap()
const carriedAnswers = new Map()
document.addEventListener('htmx:beforeRequest', (event) => {
  const form = event.detail.elt
  if (form instanceof HTMLFormElement && form.dataset.autosave) sentAnswers.set(form, answerValues(form))
})
document.addEventListener('htmx:beforeSwap', (event) => {
  const form = event.detail.elt
  if (!(form instanceof HTMLFormElement) || !form.dataset.autosave || !event.detail.shouldSwap) return
  const sent = sentAnswers.get(form)
  if (!sent) return
  const now = answerValues(form)
  const typed = Object.keys(now).filter((name) => now[name] !== sent[name])
  if (typed.length === 0) return
  const focused = form.contains(document.activeElement) ? document.activeElement.getAttribute('name') : null
  carriedAnswers.set(form.id, { values: Object.fromEntries(typed.map((name) => [name, now[name]])), focused })
})
// After settling: only then has htmx taken up the new form, so that the change event saves it.
document.addEventListener('htmx:afterSettle', () => {
  for (const [id, carried] of carriedAnswers) {
    carriedAnswers.delete(id)
    const form = document.getElementById(id)
    if (!(form instanceof HTMLFormElement)) continue
    let last = null
    for (const [name, value] of Object.entries(carried.values)) {
      const field = name === 'score' ? form.querySelector(`input[name="score"][value="${CSS.escape(value)}"]`) : form.querySelector(`[name="${name}"]`)
      if (!field) continue
      if (name === 'score') field.checked = true
      else field.value = value
      last = field
    }
    const focus =
      carried.focused === 'score' ? form.querySelector('input[name="score"]:checked') : carried.focused && form.querySelector(`[name="${carried.focused}"]`)
    if (focus && form.querySelector('.error-summary') === null) {
      focus.focus()
      // Typing goes on at the end of the text, where it was.
      if (focus instanceof HTMLTextAreaElement || (focus instanceof HTMLInputElement && focus.type === 'text'))
        focus.setSelectionRange(focus.value.length, focus.value.length)
    }
    if (last) last.dispatchEvent(new Event('change', { bubbles: true }))
  }
})

// On a narrow screen a wide table scrolls sideways in its own box (app.css). A box that scrolls
// must be reachable by keyboard, so such a table takes the focus, and gives it up when it fits again.
function letWideTablesTakeFocus(root) {
  for (const table of root.querySelectorAll('table.table')) {
    const scrolls = table.scrollWidth > table.clientWidth + 1
    if (scrolls && !table.hasAttribute('tabindex')) {
      table.setAttribute('tabindex', '0')
      table.dataset.scrollFocus = 'true'
    } else if (!scrolls && table.dataset.scrollFocus === 'true') {
      table.removeAttribute('tabindex')
      delete table.dataset.scrollFocus
    }
  }
}
document.addEventListener('DOMContentLoaded', () => letWideTablesTakeFocus(document))
window.addEventListener('resize', () => letWideTablesTakeFocus(document))
document.addEventListener('htmx:afterSettle', () => letWideTablesTakeFocus(document))
document.addEventListener('toggle', () => letWideTablesTakeFocus(document), true)
