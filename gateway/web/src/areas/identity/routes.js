// Identity pages: login (the site opens on it, R1.1), registration, legacy-account update,
// the operation guide (R13.1) and the support request (R14.1).
export default [
  {
    path: '/login',
    name: 'login',
    component: () => import('./pages/LoginPage.vue'),
    meta: { allowDuringUpdate: true, titleKey: 'identity.login.title' },
  },
  {
    path: '/register',
    name: 'register',
    component: () => import('./pages/RegisterPage.vue'),
    meta: { guestOnly: true, titleKey: 'identity.register.title' },
  },
  {
    path: '/account/update',
    name: 'account-update',
    component: () => import('./pages/AccountUpdatePage.vue'),
    meta: { requiresAuth: true, allowDuringUpdate: true, titleKey: 'identity.update.title' },
  },
  {
    path: '/guide',
    name: 'guide',
    component: () => import('./pages/GuidePage.vue'),
    meta: { allowDuringUpdate: true, titleKey: 'identity.guide.title' },
  },
  {
    path: '/support',
    name: 'support',
    component: () => import('./pages/SupportPage.vue'),
    meta: { allowDuringUpdate: true, titleKey: 'identity.support.title' },
  },
]
