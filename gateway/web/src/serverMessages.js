// The services' own message catalogues, bundled, so that an error already on screen can be
// said again in a newly chosen language (R1.2) without asking the server again. The server's
// message stays the fallback (e.g. for a text with parameters the client does not have).
const files = {
  ...import.meta.glob('../../../shared/messages/*.json', { eager: true, import: 'default' }),
  ...import.meta.glob('../../../services/*/messages/*.json', { eager: true, import: 'default' }),
}

// { shared: { 'zh-Hans': {...}, ... }, identity: { ... }, ... }
const catalogues = {}
for (const [path, messages] of Object.entries(files)) {
  const parts = path.split('/')
  const lang = parts.pop().replace(/\.json$/, '')
  parts.pop() // "messages"
  const owner = parts.pop() // "shared" or the service's name
  catalogues[owner] ||= {}
  catalogues[owner][lang] = messages
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
  'September', 'October', 'November', 'December']

/** An ISO day in a parameter as the services write it (shared/i18n.py readable_day). */
export function readableDay(value, lang) {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}:\d{2}))?$/.exec(String(value))
  if (!match) return String(value)
  const [, year, month, day, clock] = match
  const text = lang === 'en'
    ? `${Number(day)} ${MONTHS[Number(month) - 1]} ${year}`
    : `${year}年${Number(month)}月${Number(day)}日`
  return clock ? `${text} ${clock}` : text
}

/** One form of a count message, "one | many" or "none | one | many", chosen by the first
 * placeholder whose value is an integer (shared/i18n.py plural_form does the same). */
export function pluralForm(template, params = {}) {
  const forms = template.split(' | ')
  if (forms.length === 1) return template
  const names = [...template.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1])
  const name = names.find((n) => Number.isInteger(params?.[n]))
  if (name === undefined) return forms[forms.length - 1]
  const count = params[name]
  if (forms.length === 2) return count === 1 ? forms[0] : forms[1]
  return count >= 0 ? forms[Math.min(count, 2)] : forms[2]
}

/** The text of `code` from `service`'s catalogue (else the shared one) in `lang`, or null. */
export function serverText(service, code, lang, params = {}) {
  const template = catalogues[service]?.[lang]?.[code] ?? catalogues.shared?.[lang]?.[code]
  if (typeof template !== 'string') return null
  let complete = true
  const text = pluralForm(template, params).replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name) => {
    if (params && params[name] !== undefined && params[name] !== null) {
      return readableDay(params[name], lang)
    }
    complete = false
    return whole
  })
  return complete ? text : null
}
