// A random id for this browser, kept in localStorage and sent as X-Device-Id. The gateway's
// rate limits key on it together with the address, so many people behind one address
// (a border hall's Wi-Fi, a mobile carrier's NAT) are not limited together.
const STORAGE_KEY = 'hs.device'

function randomId() {
  if (crypto.randomUUID) return crypto.randomUUID()
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

let cached = null

export function deviceId() {
  if (cached) return cached
  try {
    cached = localStorage.getItem(STORAGE_KEY)
    if (!cached || !/^[A-Za-z0-9-]{8,64}$/.test(cached)) {
      cached = randomId()
      localStorage.setItem(STORAGE_KEY, cached)
    }
  } catch {
    cached = cached || randomId()
  }
  return cached
}
