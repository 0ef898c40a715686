import type { Operation } from './operation.ts'

const escapeHtml = (text: string): string =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;')

/**
 * A self-contained page listing every route with its scope: no script and nothing loaded from
 * elsewhere, so it works offline; the full schemas are in /api/openapi.json.
 */
export function docsPage(operations: ReadonlyArray<Operation>): string {
  const tags = [...new Set(operations.map((operation) => operation.tag))]
  const sections = tags.map((tag) => {
    const rows = operations
      .filter((operation) => operation.tag === tag)
      .map(
        (operation) =>
          `<tr><td><code>${operation.method.toUpperCase()}</code></td><td><code>${escapeHtml(operation.path)}</code></td><td>${escapeHtml(operation.scope ?? 'public')}</td><td>${escapeHtml(operation.summary)}</td></tr>`,
      )
      .join('\n')
    return `<h2>${escapeHtml(tag)}</h2>\n<table><thead><tr><th>method</th><th>path</th><th>scope</th><th>what it does</th></tr></thead><tbody>\n${rows}\n</tbody></table>`
  })
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Interlock API</title>
<style>body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}code{white-space:nowrap}</style>
</head><body>
<h1>Interlock API</h1>
<p>Send <code>Authorization: Bearer &lt;token&gt;</code> (made with <code>interlock token create</code>); a token with scope <code>admin</code> may use every route. Errors are <code>application/problem+json</code> whose <code>errors</code> list names each field at fault. The machine-readable description is <a href="/api/openapi.json">/api/openapi.json</a>.</p>
${sections.join('\n')}
</body></html>
`
}
