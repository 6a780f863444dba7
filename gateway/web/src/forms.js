// Form state helpers shared by every area.
//
//   const form = useForm({ document_number: '', password: '' })
//   await form.submit(() => api('/api/…', { method: 'POST', body: form.values }))
//   form.errors.document_number -> { code, message } from the server, shown by <FormField>
//   form.message                -> the server's general message (when no field explains it)
// When the user switches language, the errors on screen are said again in the new one (R1.2).
import { nextTick, reactive, watch } from 'vue'
import { ApiError, relocalize } from './api.js'
import { i18n } from './i18n.js'

function focusFirstInvalid() {
  nextTick(() => document.querySelector('[aria-invalid="true"]')?.focus())
}

export function useForm(initial) {
  let shown = null // the error on screen, to say again after a language switch
  const form = reactive({
    values: { ...initial },
    errors: {},
    message: '',
    busy: false,
    clear() {
      shown = null
      form.errors = {}
      form.message = ''
    },
    /** Show an error thrown by api(): field errors under their inputs, the rest on top. */
    showError(err) {
      shown = err
      form.errors = {}
      form.message = ''
      if (!(err instanceof ApiError)) {
        form.message = i18n.global.t('app.errors.generic')
        console.error(err)
        return
      }
      const unknown = []
      for (const [name, detail] of Object.entries(err.fields || {})) {
        if (name in form.values) form.errors[name] = detail
        else unknown.push(detail.message)
      }
      const onFields = Object.keys(form.errors).length > 0
      // A validation error says "check the marked fields" on top; a business error tied to
      // one field (e.g. the document already exists) is said once, under that field.
      const banner = !onFields || err.code === 'error.validation' ? err.message : ''
      form.message = [banner, ...unknown].filter(Boolean).join(' ')
    },
    async submit(action) {
      if (form.busy) return undefined
      form.busy = true
      form.clear()
      try {
        return await action()
      } catch (err) {
        form.showError(err)
        focusFirstInvalid()
        return undefined
      } finally {
        form.busy = false
      }
    },
  })
  watch(i18n.global.locale, () => {
    if (shown) form.showError(relocalize(shown))
  })
  return form
}
