// The logged-in account, kept in localStorage ('hs.session') so it survives reloads and is
// shared by the tabs of this browser.
//
//   import { session, signIn, signOut, hasRole, hasAnyRole, isSignedIn } from '@/session.js'
//   session.account        -> { id, roles: ['applicant'], ... } or null (as the server sent it)
//   session.accessToken    -> string or null
//   session.refreshToken   -> string or null
//   session.updateRequired -> true while a legacy account must update its document (R3.1)
import { reactive, readonly } from 'vue'

const STORAGE_KEY = 'hs.session'

const state = reactive({
  account: null,
  accessToken: null,
  refreshToken: null,
  updateRequired: false,
})

/** Read-only view of the session; change it with the functions below. */
export const session = readonly(state)

function load() {
  try {
    const raw = JSON.parse(localStorage.getItem(STORAGE_KEY) || 'null')
    Object.assign(state, {
      account: raw?.account ?? null,
      accessToken: raw?.accessToken ?? null,
      refreshToken: raw?.refreshToken ?? null,
      updateRequired: Boolean(raw?.updateRequired),
    })
  } catch {
    // a corrupt entry means "not signed in"
  }
}

function save() {
  try {
    if (state.accessToken) {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(state))
    } else {
      localStorage.removeItem(STORAGE_KEY)
    }
  } catch {
    // storage unavailable: the session lasts for this page only
  }
}

/** Store the answer of a login or registration: {access_token, refresh_token, account, update_required}. */
export function signIn(response) {
  state.account = response.account ?? null
  state.accessToken = response.access_token ?? null
  state.refreshToken = response.refresh_token ?? null
  state.updateRequired = Boolean(response.update_required)
  save()
}

/** New tokens from a refresh (the account stays). */
export function setTokens({ access_token, refresh_token }) {
  if (access_token) state.accessToken = access_token
  if (refresh_token) state.refreshToken = refresh_token
  save()
}

/** Merge fresh account facts, e.g. after the profile changed. */
export function updateAccount(fields) {
  state.account = { ...(state.account || {}), ...fields }
  save()
}

/** A service said this legacy account must update its document first (R3.1). */
export function markUpdateRequired() {
  state.updateRequired = true
  save()
}

export function signOut() {
  state.account = null
  state.accessToken = null
  state.refreshToken = null
  state.updateRequired = false
  save()
}

export function isSignedIn() {
  return Boolean(state.accessToken && state.account)
}

// As shared/auth.py: an admin may do what reviewers and operators do.
const IMPLIED = { admin: ['reviewer', 'operator'] }

/** The account's roles with the implied ones. */
export function effectiveRoles() {
  const granted = state.account?.roles || []
  return [...new Set(granted.flatMap((role) => [role, ...(IMPLIED[role] || [])]))]
}

export function hasRole(role) {
  return effectiveRoles().includes(role)
}

export function hasAnyRole(roles) {
  return !roles || roles.length === 0 || roles.some((role) => hasRole(role))
}

// Another tab signed in or out: follow it.
window.addEventListener('storage', (event) => {
  if (event.key === STORAGE_KEY) load()
})

load()
