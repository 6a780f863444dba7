// The one place that turns raw values into what people read, in the current language:
//   formatDate('2026-12-04')                     -> 2026年12月4日 · 2026年12月4日 · 4 Dec 2026
//   formatDate('2026-12-04', { weekday: true })  -> 2026年12月4日周五 · …週五 · Fri, 4 Dec 2026
//   formatDateTime('2026-12-04T12:00:00+00:00')  -> 2026年12月4日 20:00 (Beijing time, always)
//   nationalityName('CN')                        -> 中国内地 · 中國內地 · Chinese mainland
//   documentTypeName('hk_macao_resident_permit') -> 港澳居民来往内地通行证 · … · (its English name)
//   labelled(t('booking.fields.number'), n)      -> 申请编号：n · 申請編號：n · Application number: n
//   aside(t('booking.apply.applications', …))    -> （3 份申报） · （3 份申報） · " (3 applications)"
//   formatList(roles)                            -> 审核人员、运营人员 · … · Reviewer, Operator
//   formatList(dates with their weekday)         -> 2026年12月7日周一、… · Mon, 7 Dec 2026; Tue, 8 Dec 2026
// Chinese takes full-width ：（）、 and English ASCII, so templates never write punctuation
// beside a translated text themselves (tests/unit/test_client_punctuation.py checks that).
// Templates that call these re-render on a language switch: they read the locale ref.
import { useDocumentCatalogue } from './areas/identity/catalogue.js'
import { currentLanguage } from './i18n.js'

// Every time rule of the system is Beijing time (shared/clock.py), whatever the browser's zone.
export const TIME_ZONE = 'Asia/Shanghai'
const INTL_LOCALE = { 'zh-Hans': 'zh-CN', 'zh-Hant': 'zh-HK', en: 'en-GB' }
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/
const EMPTY = '—'
const FULL_WIDTH = { colon: '：', open: '（', close: '）', list: '、' }
const ENGLISH = { colon: ': ', open: ' (', close: ')', list: ', ' }
const PUNCTUATION = { 'zh-Hans': FULL_WIDTH, 'zh-Hant': FULL_WIDTH, en: ENGLISH }

const formatters = new Map()
function formatter(kind, options) {
  const lang = currentLanguage()
  const key = `${lang}|${kind}`
  if (!formatters.has(key)) {
    formatters.set(key, new Intl.DateTimeFormat(INTL_LOCALE[lang] || 'zh-CN', options))
  }
  return formatters.get(key)
}

/** A calendar date ('YYYY-MM-DD', or the date part of a timestamp) as the language writes it. */
export function formatDate(value, { weekday = false } = {}) {
  if (!value) return EMPTY
  const match = DATE_ONLY.exec(String(value).slice(0, 10))
  if (!match) return String(value)
  // A calendar date has no zone: format it at UTC midnight in UTC so no offset moves the day.
  const day = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])))
  const options = { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }
  return formatter(weekday ? 'weekday' : 'date', weekday ? { ...options, weekday: 'short' } : options)
    .format(day)
}

/** An instant (ISO 8601 with its offset) as date and hh:mm in Beijing time. */
export function formatDateTime(value) {
  if (!value) return EMPTY
  if (DATE_ONLY.test(String(value))) return formatDate(value)
  const instant = new Date(value)
  if (Number.isNaN(instant.getTime())) return String(value)
  return formatter('datetime', {
    year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit',
    hourCycle: 'h23', timeZone: TIME_ZONE,
  }).format(instant)
}

/** The name of a nationality / region code in the current language (identity's catalogue). */
export function nationalityName(code) {
  if (!code) return EMPTY
  const { nationalities, nameOf } = useDocumentCatalogue()
  const known = nationalities.value.find((n) => n.code === code)
  return known ? nameOf(known) : code // the code until the catalogue has loaded
}

/** The name of a document type code in the current language (identity's catalogue). */
export function documentTypeName(code) {
  if (!code) return EMPTY
  const { allDocumentTypes, nameOf } = useDocumentCatalogue()
  const known = allDocumentTypes().find((type) => type.code === code)
  return known ? nameOf(known) : code // the code until the catalogue has loaded
}

/** The punctuation of the current language: { colon, open, close, list } (see the top). */
export function punctuation() {
  return PUNCTUATION[currentLanguage()] || FULL_WIDTH
}

/** "label：value" in Chinese, "label: value" in English. */
export function labelled(label, value) {
  return `${label}${punctuation().colon}${value ?? EMPTY}`
}

/** A remark in brackets after what it explains: "（…）" in Chinese, " (…)" in English. */
export function aside(text) {
  const { open, close } = punctuation()
  return `${open}${text}${close}`
}

/** What goes between the items of a list: 、 in Chinese; ", " in English, or "; " when an
 * item has a comma of its own (an English date with its weekday: "Mon, 7 Dec 2026"). */
export function listSeparator(items = []) {
  const marks = punctuation()
  if (marks === ENGLISH && items.some((item) => String(item).includes(','))) return '; '
  return marks.list
}

/** Items of a list joined as the language writes them (listSeparator). */
export function formatList(items) {
  const texts = (items || []).map(String)
  return texts.join(listSeparator(texts))
}
