// Profile pages: personal information (R4), cohabitants (R6) and the personal centre (R5.1).
export default [
  {
    path: '/profile',
    name: 'profile',
    component: () => import('./pages/ProfilePage.vue'),
    meta: { roles: ['applicant'], landingFor: ['applicant'], titleKey: 'profile.info.title' },
  },
  {
    path: '/cohabitants',
    name: 'cohabitants',
    component: () => import('./pages/CohabitantsPage.vue'),
    meta: { roles: ['applicant'], titleKey: 'profile.cohabitants.title' },
  },
  {
    path: '/me',
    name: 'personal-centre',
    component: () => import('./pages/PersonalCentrePage.vue'),
    meta: { roles: ['applicant'], titleKey: 'profile.centre.title' },
  },
]
