// A tiny "job" for tests: appends its arguments as one line to a file, so a test can count job starts.
import { appendFileSync } from 'node:fs'

const [file, ...words] = process.argv.slice(2)
appendFileSync(file, `${words.join(' ')}\n`)
