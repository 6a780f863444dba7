// Routes: the shell's own plus every area's `src/areas/<area>/routes.js` (default export: an
// array of route records). Route meta understood by the guard:
//   requiresAuth: true        -> signed-in users only (others go to /login?next=…)
//   roles: ['reviewer', …]    -> one of these roles (implies requiresAuth)
//   allowDuringUpdate: true   -> reachable while a legacy account must update (R3.1)
//   guestOnly: true           -> a signed-in user is sent to their landing page
//   landingFor: ['reviewer']  -> where users with that role land after login
//   titleKey: 'area.key'      -> the document title (App.vue sets it)
import { createRouter, createWebHistory } from 'vue-router'
import { landingAfterLogin } from './navigation.js'
import { hasAnyRole, isSignedIn, session } from './session.js'

const areaModules = import.meta.glob('./areas/*/routes.js', { eager: true })

export function areaRoutes() {
  return Object.keys(areaModules).sort().flatMap((path) => areaModules[path].default || [])
}

const shellRoutes = [
  {
    // never shown: its guard sends the visitor on, as a login would (returning approved
    // applicants to the personal centre, the rest to their landing page)
    path: '/',
    name: 'home',
    component: () => import('./views/SignedInPage.vue'),
    beforeEnter: async () => (isSignedIn() ? landingAfterLogin(router) : { name: 'login' }),
  },
  {
    path: '/signed-in',
    name: 'signed-in',
    component: () => import('./views/SignedInPage.vue'),
    meta: { requiresAuth: true, titleKey: 'app.signedIn.title' },
  },
  {
    path: '/forbidden',
    name: 'forbidden',
    component: () => import('./views/ForbiddenPage.vue'),
    meta: { allowDuringUpdate: true, titleKey: 'app.forbidden.title' },
  },
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('./views/NotFoundPage.vue'),
    meta: { allowDuringUpdate: true, titleKey: 'app.notFound.title' },
  },
]

export const router = createRouter({
  history: createWebHistory(),
  routes: [...areaRoutes(), ...shellRoutes],
  scrollBehavior: (to, from, saved) => saved || { top: 0 },
})

router.beforeEach(async (to) => {
  const meta = to.meta || {}
  const needsAuth = meta.requiresAuth || (meta.roles && meta.roles.length > 0)
  if (needsAuth && !isSignedIn()) {
    return { name: 'login', query: { next: to.fullPath } }
  }
  if (isSignedIn() && session.updateRequired && !meta.allowDuringUpdate) {
    return { name: 'account-update' }
  }
  if (meta.roles && !hasAnyRole(meta.roles)) {
    return { name: 'forbidden' }
  }
  if (meta.guestOnly && isSignedIn()) {
    return landingAfterLogin(router)
  }
  return true
})
