// Notification pages: operators see every email's delivery state and resend failed ones.
// (The development mailbox is server-rendered: /api/notification/dev/mailbox.html.)
export default [
  {
    path: '/operator/emails',
    name: 'notification-emails',
    component: () => import('./pages/EmailsPage.vue'),
    meta: { roles: ['operator', 'admin'], titleKey: 'notification.emails.title' },
  },
]
