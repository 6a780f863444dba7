// Reviewer pages (R4.3, R6.4, R6.5): the queue and one case with its history.
export default [
  {
    path: '/review',
    name: 'review-queue',
    component: () => import('./pages/ReviewQueuePage.vue'),
    meta: { roles: ['reviewer', 'admin'], landingFor: ['reviewer'], titleKey: 'review.queue.title' },
  },
  {
    path: '/review/cases/:id',
    name: 'review-case',
    component: () => import('./pages/ReviewCasePage.vue'),
    meta: { roles: ['reviewer', 'admin'], titleKey: 'review.case.title' },
  },
]
