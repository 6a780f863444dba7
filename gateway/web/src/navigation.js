// Where the shell sends people, shared by every area.
import { api } from './api.js'
import { effectiveRoles, hasAnyRole, isSignedIn, session, signOut } from './session.js'

export const SUPPORT_MAILBOX = 'szhkhotel@163.com'

/**
 * The page to open after login or registration. An area declares a landing page with
 * route meta `landingFor: ['reviewer', …]`; applicants go to the personal-information form
 * `/profile` (R2.3). When no such route exists yet, the shell's "signed in" page.
 */
export function landingPath(router) {
  if (session.updateRequired) return '/account/update'
  const exists = (path) => router.resolve(path).matched.some((r) => r.name !== 'not-found')
  const roles = effectiveRoles()
  const declared = router.getRoutes().find((route) =>
    !route.path.includes(':') && (route.meta?.landingFor || []).some((role) => roles.includes(role)))
  if (declared) return declared.path
  if (hasAnyRole(['applicant']) && exists('/profile')) return '/profile'
  return '/signed-in'
}

/** A `next` query value is only followed when it is a path inside this site. */
export function safeNext(value) {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : null
}

export async function logout(router) {
  if (isSignedIn()) {
    try {
      await api('/api/identity/sessions/current', { method: 'DELETE' })
    } catch {
      // the token is dropped here whatever the server says
    }
  }
  signOut()
  await router.push({ name: 'login' })
}
