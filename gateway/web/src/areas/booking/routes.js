// Booking pages: the six-day view and application (R7), lottery records (R10), reservations
// with cancellation (R11, R12.2), the confirmation slip (R12.1), staff slip check and the
// operators' pages (capacities, entry records, disable policy and reinstatement).
export default [
  {
    path: '/booking',
    alias: '/booking/apply',
    name: 'booking-apply',
    component: () => import('./pages/ApplyPage.vue'),
    meta: { roles: ['applicant'], titleKey: 'booking.apply.title' },
  },
  {
    // the personal centre's "confirmation slip" section: today's slip, if any (R12.1)
    path: '/booking/slip',
    name: 'booking-slip-today',
    component: () => import('./pages/SlipPage.vue'),
    meta: { roles: ['applicant'], titleKey: 'booking.slip.title' },
  },
  {
    path: '/booking/records',
    name: 'booking-records',
    component: () => import('./pages/RecordsPage.vue'),
    meta: { roles: ['applicant'], titleKey: 'booking.records.title' },
  },
  {
    path: '/booking/reservations',
    name: 'booking-reservations',
    component: () => import('./pages/ReservationsPage.vue'),
    meta: { roles: ['applicant'], titleKey: 'booking.reservations.title' },
  },
  {
    path: '/booking/reservations/:number/slip',
    name: 'booking-slip',
    component: () => import('./pages/SlipPage.vue'),
    meta: { roles: ['applicant'], titleKey: 'booking.slip.title' },
  },
  {
    path: '/booking/staff/verify',
    name: 'booking-staff-verify',
    component: () => import('./pages/StaffVerifyPage.vue'),
    meta: { roles: ['reviewer', 'operator', 'admin'], titleKey: 'booking.verify.title' },
  },
  {
    path: '/booking/operator',
    name: 'booking-operator',
    component: () => import('./pages/OperatorPage.vue'),
    meta: { roles: ['operator', 'admin'], titleKey: 'booking.operator.title' },
  },
]
