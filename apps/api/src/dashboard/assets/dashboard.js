// Interlock dashboard: live updates, as a small progressive enhancement. Every page is complete as the
// server sends it; with JavaScript, a page whose <body> names a live URL listens to it (Server-Sent
// Events) and, each time the read models advance, fetches itself again and swaps its [data-live] regions.
;(() => {
  const url = document.body.dataset.liveUrl
  if (!url || !('EventSource' in window)) return
  const status = document.getElementById('live-status')
  let fetching = false
  let again = false

  async function refresh() {
    if (fetching) {
      again = true
      return
    }
    fetching = true
    try {
      const response = await fetch(location.href, {
        credentials: 'same-origin',
        headers: { accept: 'text/html' },
      })
      if (!response.ok) return
      const next = new DOMParser().parseFromString(await response.text(), 'text/html')
      for (const region of document.querySelectorAll('[data-live]')) {
        const name = region.getAttribute('data-live')
        if (name === 'none') continue
        const fresh = next.querySelector(`[data-live="${name}"]`)
        if (fresh && fresh.innerHTML !== region.innerHTML) region.innerHTML = fresh.innerHTML
      }
      document.body.dataset.refreshed = String(Number(document.body.dataset.refreshed || 0) + 1)
    } catch {
      // A failed refresh is retried at the next advance.
    } finally {
      fetching = false
      if (again) {
        again = false
        refresh()
      }
    }
  }

  const source = new EventSource(url)
  let connected = false
  source.addEventListener('ready', () => {
    // A reconnect may have missed an advance while the stream was down: catch up once.
    if (connected) refresh()
    connected = true
    if (status) {
      status.hidden = false
      status.textContent = 'live'
    }
  })
  source.addEventListener('advance', refresh)
  source.addEventListener('error', () => {
    if (status) status.textContent = 'reconnecting…'
  })
})()
