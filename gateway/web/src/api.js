// One way to call the services through the gateway.
//
//   import { api, ApiError } from '@/api.js'
//   const data = await api('/api/profile/me')                         // GET, with the token
//   await api('/api/identity/sessions', { method: 'POST', body: {...}, auth: false })
//
// Sends `Authorization: Bearer <access token>` (unless auth: false), `X-Lang` (the current
// language, so the services answer in it) and `X-Device-Id`. On 401 it refreshes the tokens
// once (POST /api/identity/sessions/refresh) and repeats the call; if that fails it signs
// out and sends the user to the login page.
// A non-2xx answer throws ApiError { status, code, message, fields, params } where
// fields = { fieldName: { code, message } } and message is already in the user's language.
import { currentLanguage, i18n } from './i18n.js'
import { deviceId } from './device.js'
import { serverText } from './serverMessages.js'
import { session, setTokens, signIn, signOut } from './session.js'

export class ApiError extends Error {
  constructor({ status, code, message, fields = {}, params = {}, field = null, service = null,
    lang = null, clientMessage = false }) {
    super(message || code)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.fields = fields || {}
    this.params = params || {}
    this.field = field // the one field a business error is about, if any
    this.service = service // which service answered (from the path)
    this.lang = lang // the language the messages are in
    this.clientMessage = clientMessage // message written by the client, not the server
  }

  /** The server's message for one field, or null. */
  fieldMessage(name) {
    return this.fields[name]?.message ?? null
  }
}

// Codes whose message the client writes itself: they come from the gateway or the network,
// not from a service catalogue.
const CLIENT_MESSAGES = {
  'error.rate_limited': 'app.errors.rate_limited',
  'error.unavailable': 'app.errors.unavailable',
  'error.too_large': 'app.errors.too_large',
  'error.network': 'app.errors.network',
  'error.internal': 'app.errors.internal',
}

const STATUS_CODES = {
  400: 'error.bad_request',
  401: 'auth.required',
  403: 'auth.forbidden',
  404: 'error.not_found',
  413: 'error.too_large',
  429: 'error.rate_limited',
  502: 'error.unavailable',
  503: 'error.unavailable',
  504: 'error.unavailable',
}

let onUnauthorized = () => {}
let onUpdateRequired = () => {}

/** The shell registers what to do when the session is gone (go to the login page). */
export function setUnauthorizedHandler(handler) {
  onUnauthorized = handler
}

/** …and when a legacy account must update its document first (403 auth.update_required, R3.1). */
export function setUpdateRequiredHandler(handler) {
  onUpdateRequired = handler
}

const REFRESH_PATH = '/api/identity/sessions/refresh'
let refreshing = null

async function refreshTokens() {
  const refreshToken = session.refreshToken
  if (!refreshToken) return false
  // Concurrent 401s share one refresh.
  refreshing ||= (async () => {
    try {
      // The refresh token goes in the body (identity's contract) and as Bearer.
      const response = await fetch(REFRESH_PATH, {
        method: 'POST',
        headers: baseHeaders({ Authorization: `Bearer ${refreshToken}`, 'Content-Type': 'application/json' }),
        body: JSON.stringify({ refresh_token: refreshToken }),
      })
      if (!response.ok) return false
      const answer = await response.json()
      if (answer.account) signIn(answer) // roles are read again on refresh
      else setTokens(answer)
      return true
    } catch {
      return false
    } finally {
      setTimeout(() => { refreshing = null }, 0)
    }
  })()
  return refreshing
}

function baseHeaders(extra = {}) {
  return {
    Accept: 'application/json',
    'X-Lang': currentLanguage(),
    'X-Device-Id': deviceId(),
    ...extra,
  }
}

function serviceOf(path) {
  return /^\/api\/([a-z_]+)\//.exec(path)?.[1] ?? null
}

/** The same error with its messages in the current language (after a language switch). */
export function relocalize(err) {
  const lang = currentLanguage()
  if (!(err instanceof ApiError) || err.lang === lang) return err
  const names = Object.keys(err.fields)
  const say = (code, params, fallback) => (err.clientMessage && CLIENT_MESSAGES[code]
    ? i18n.global.t(CLIENT_MESSAGES[code])
    : serverText(err.service, code, lang, params) ?? fallback)
  const fields = {}
  for (const [name, detail] of Object.entries(err.fields)) {
    const params = name === err.field || names.length === 1 ? err.params : {}
    fields[name] = { ...detail, message: say(detail.code, params, detail.message) }
  }
  return new ApiError({ ...err, message: say(err.code, err.params, err.message), fields, lang })
}

async function toApiError(response, service) {
  let payload = null
  try {
    payload = await response.json()
  } catch {
    // an HTML or empty error page: fall back on the status
  }
  const error = payload?.error || {}
  const code = error.code || STATUS_CODES[response.status] ||
    (response.status >= 500 ? 'error.internal' : 'error.bad_request')
  const clientKey = CLIENT_MESSAGES[code]
  const clientMessage = Boolean(clientKey && (!error.message || response.status >= 429))
  const message = clientMessage
    ? i18n.global.t(clientKey)
    : error.message || i18n.global.t(clientKey || 'app.errors.generic')
  return new ApiError({
    status: response.status,
    code,
    message,
    fields: error.fields || {},
    params: error.params || {},
    field: error.field || null,
    service,
    lang: currentLanguage(),
    clientMessage,
  })
}

export async function api(path, { method = 'GET', body, auth = true, headers = {} } = {}) {
  const send = () => {
    const all = baseHeaders(headers)
    if (body !== undefined) all['Content-Type'] = 'application/json'
    if (auth && session.accessToken) all.Authorization = `Bearer ${session.accessToken}`
    return fetch(path, {
      method,
      headers: all,
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  }

  let response
  try {
    response = await send()
    if (response.status === 401 && auth && session.accessToken) {
      if (await refreshTokens()) {
        response = await send()
      }
      if (response.status === 401) {
        const error = await toApiError(response, serviceOf(path))
        signOut()
        onUnauthorized(error)
        throw error
      }
    }
  } catch (err) {
    if (err instanceof ApiError) throw err
    throw new ApiError({
      status: 0,
      code: 'error.network',
      message: i18n.global.t('app.errors.network'),
      lang: currentLanguage(),
      clientMessage: true,
    })
  }

  if (!response.ok) {
    const error = await toApiError(response, serviceOf(path))
    if (error.status === 403 && error.code === 'auth.update_required') onUpdateRequired(error)
    throw error
  }
  if (response.status === 204) return null
  const text = await response.text()
  return text ? JSON.parse(text) : null
}
