import { createApp } from 'vue'
import App from './App.vue'
import { setUnauthorizedHandler, setUpdateRequiredHandler } from './api.js'
import { i18n } from './i18n.js'
import { router } from './router.js'
import { markUpdateRequired } from './session.js'
import './styles.css'

// The session is gone (expired and not refreshable): log in again, then come back.
setUnauthorizedHandler(() => {
  const current = router.currentRoute.value
  if (current.name !== 'login') {
    router.push({ name: 'login', query: { next: current.fullPath, expired: '1' } })
  }
})

setUpdateRequiredHandler(() => {
  markUpdateRequired()
  router.push({ name: 'account-update' })
})

createApp(App).use(i18n).use(router).mount('#app')
