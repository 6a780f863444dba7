// The nationalities and the document types each may use, from the identity service
// (GET /api/identity/catalogue), loaded once per page load. Other areas may import it.
//   const { nationalities, documentTypesFor, allDocumentTypes, nameOf, failed } = useDocumentCatalogue()
// The service answers {nationalities: [{code, names, document_types: [code…]}],
// document_types: [{code, names, format_hint, example}]}; nationalities here carry the full
// document type objects.
import { ref } from 'vue'
import { api } from '../../api.js'
import { localized } from '../../i18n.js'

const nationalities = ref([])
const failed = ref('')
let loading = null

function load() {
  loading ||= api('/api/identity/catalogue', { auth: false })
    .then((data) => {
      nationalities.value = normalize(data)
      failed.value = ''
    })
    .catch((err) => {
      failed.value = err.message
      loading = null
    })
  return loading
}

function normalize(data) {
  const list = Array.isArray(data) ? data : data?.nationalities || []
  const types = new Map((data?.document_types || []).map((type) => [type.code, type]))
  return list.map((nationality) => ({
    ...nationality,
    document_types: (nationality.document_types || [])
      .map((type) => (typeof type === 'string' ? types.get(type) || { code: type, names: {} } : type)),
  }))
}

function documentTypesFor(nationalityCode) {
  return nationalities.value.find((n) => n.code === nationalityCode)?.document_types || []
}

/** Every document type of every nationality, once each (the login page offers them all). */
function allDocumentTypes() {
  const seen = new Map()
  for (const nationality of nationalities.value) {
    for (const type of nationality.document_types || []) {
      if (!seen.has(type.code)) seen.set(type.code, type)
    }
  }
  return [...seen.values()]
}

export function useDocumentCatalogue() {
  load()
  return {
    nationalities,
    failed,
    reload: () => { loading = null; return load() },
    documentTypesFor,
    allDocumentTypes,
    nameOf: (item) => localized(item?.names) || item?.code || '',
  }
}
