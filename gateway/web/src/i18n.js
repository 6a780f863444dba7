// Languages, catalogues and the persisted choice (R1.2).
//
// Catalogues: the shell's own `src/locales/<lang>.json` plus every area's
// `src/areas/<area>/locales/<lang>.json` (messages namespaced under the area name).
// zh-Hant.json files are generated from zh-Hans.json by `python -m tools.gen_hant`.
// Messages are vue-i18n syntax: `{name}` interpolates, and the characters { } @ $ | are
// special; write a literal one as {'@'}.
import { createI18n } from 'vue-i18n'

// `label`: the switch's short form; `name`: the language's full name, written in itself (as
// language lists are), for staff pages that name a language (a text the user will see in it).
export const LANGUAGES = [
  { code: 'zh-Hans', label: '简体', name: '简体中文', html: 'zh-Hans' },
  { code: 'zh-Hant', label: '繁體', name: '繁體中文', html: 'zh-Hant-HK' },
  { code: 'en', label: 'English', name: 'English', html: 'en' },
]
export const DEFAULT_LANGUAGE = 'zh-Hans'
const STORAGE_KEY = 'hs.lang'
const CODES = LANGUAGES.map((l) => l.code)

function deepMerge(target, source) {
  for (const [key, value] of Object.entries(source)) {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      target[key] = deepMerge(target[key] || {}, value)
    } else {
      target[key] = value
    }
  }
  return target
}

function collectMessages() {
  const files = {
    ...import.meta.glob('./locales/*.json', { eager: true, import: 'default' }),
    ...import.meta.glob('./areas/*/locales/*.json', { eager: true, import: 'default' }),
  }
  const messages = Object.fromEntries(CODES.map((code) => [code, {}]))
  for (const [path, content] of Object.entries(files)) {
    const lang = path.split('/').pop().replace(/\.json$/, '')
    if (messages[lang]) deepMerge(messages[lang], content)
  }
  return messages
}

function storedLanguage() {
  try {
    const value = localStorage.getItem(STORAGE_KEY)
    return CODES.includes(value) ? value : DEFAULT_LANGUAGE
  } catch {
    return DEFAULT_LANGUAGE
  }
}

export const i18n = createI18n({
  legacy: false,
  globalInjection: true,
  locale: storedLanguage(),
  fallbackLocale: DEFAULT_LANGUAGE,
  messages: collectMessages(),
  missingWarn: false,
  fallbackWarn: false,
})

/** The language in use: 'zh-Hans' | 'zh-Hant' | 'en' (also sent to the services as X-Lang). */
export function currentLanguage() {
  return i18n.global.locale.value
}

function applyToDocument(code) {
  const lang = LANGUAGES.find((l) => l.code === code)
  document.documentElement.lang = lang ? lang.html : code
}

export function setLanguage(code) {
  if (!CODES.includes(code)) return
  i18n.global.locale.value = code
  try {
    localStorage.setItem(STORAGE_KEY, code)
  } catch {
    // private mode: the choice lasts for this page only
  }
  applyToDocument(code)
}

/** The full name of a language code ('zh-Hant' -> 繁體中文); the code itself if unknown. */
export function languageName(code) {
  return LANGUAGES.find((l) => l.code === code)?.name || code
}

/** Pick the current language's entry of a `{ "zh-Hans": …, "zh-Hant": …, "en": … }` object. */
export function localized(names) {
  if (!names) return ''
  if (typeof names === 'string') return names
  return names[currentLanguage()] || names[DEFAULT_LANGUAGE] || Object.values(names)[0] || ''
}

// Another tab switched language: follow it.
window.addEventListener('storage', (event) => {
  if (event.key === STORAGE_KEY && CODES.includes(event.newValue)) {
    i18n.global.locale.value = event.newValue
    applyToDocument(event.newValue)
  }
})

applyToDocument(currentLanguage())
