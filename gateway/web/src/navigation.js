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

/**
 * After a login: as `landingPath`, except that an applicant whose personal information is
 * filled in and approved (a returning one) opens the personal centre `/me` rather than the
 * form; one who must still fill it in or correct it (none yet, rejected) gets the form. When
 * the profile cannot be read, the form (it says what is missing).
 */
export async function landingAfterLogin(router) {
  const path = landingPath(router)
  if (path !== '/profile' || !router.resolve('/me').matched.some((r) => r.name !== 'not-found')) return path
  try {
    const { person } = await api('/api/profile/me')
    return person?.review_state === 'approved' ? '/me' : path
  } catch {
    return path
  }
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
