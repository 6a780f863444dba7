// The lists the profile service owns (GET /api/profile/options): places, relations, categories,
// document types, reviewer reasons. Labels come in the request's language, so they are
// fetched again when the language changes.
//   const { options, placeName, label, failed } = useProfileOptions()
import { ref, watch } from 'vue'
import { api } from '../../api.js'
import { i18n, localized } from '../../i18n.js'

const options = ref(null)
const failed = ref('')
let loadedFor = null

async function load() {
  const lang = i18n.global.locale.value
  if (loadedFor === lang && options.value) return
  loadedFor = lang
  try {
    options.value = await api('/api/profile/options', { auth: false })
    failed.value = ''
  } catch (err) {
    loadedFor = null
    failed.value = err.message
  }
}

watch(() => i18n.global.locale.value, () => { if (loadedFor) load() })

function placeName(code) {
  const all = [...(options.value?.origins || []), ...(options.value?.destinations || [])]
  const place = all.find((p) => p.code === code)
  return place ? localized(place.names) : code || ''
}

/** The label of a code in one of the lists: 'relations', 'categories', 'document_types', … */
function label(list, code) {
  return options.value?.[list]?.find((item) => item.code === code)?.label || code || ''
}

export function useProfileOptions() {
  load()
  return { options, failed, placeName, label, reload: load }
}

/** Badge class of a review state. */
export function stateClass(state) {
  return { approved: 'badge--ok', rejected: 'badge--bad', in_review: 'badge--warn', pending: 'badge--warn' }[state] || ''
}
