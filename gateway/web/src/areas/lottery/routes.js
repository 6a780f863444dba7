// Lottery pages: the public audit of every draw (R8.4), the applicant's lottery records (R10.1)
// and the operators' draw monitor with the manual trigger.
export default [
  {
    path: '/lottery/audit',
    name: 'lottery-periods',
    component: () => import('./pages/PeriodsPage.vue'),
    meta: { allowDuringUpdate: true, titleKey: 'lottery.periods.title' },
  },
  {
    path: '/lottery/audit/:period',
    name: 'lottery-audit',
    component: () => import('./pages/AuditPage.vue'),
    meta: { allowDuringUpdate: true, titleKey: 'lottery.audit.title' },
  },
  {
    path: '/lottery/records',
    name: 'lottery-records',
    component: () => import('./pages/RecordsPage.vue'),
    meta: { roles: ['applicant'], titleKey: 'lottery.records.title' },
  },
  {
    path: '/lottery/operator',
    name: 'lottery-operator',
    component: () => import('./pages/OperatorPage.vue'),
    meta: { roles: ['operator', 'admin'], titleKey: 'lottery.operator.title' },
  },
]
