import { Schema } from 'effect'

/**
 * A sensor key as rules and triggers name it (R1, R2): non-empty, at most 256 characters, no whitespace and
 * no `#` — `#` separates the base key from a period (`orders-landed#2026-03-03`), and `SENSOR#` is gone.
 */
export const SensorKey = Schema.String.pipe(
  Schema.filter(
    (key) => {
      if (key.startsWith('SENSOR#')) {
        return `"${key}" carries the old SENSOR# prefix; write the key without it: "${key.slice('SENSOR#'.length)}"`
      }
      if (key === '') return 'a sensor key must not be empty'
      if (key.length > 256 || /[\s#]/.test(key)) {
        return `"${key}" is not a sensor key; use 1–256 characters without spaces or "#" (a "#<period>" suffix is matched automatically)`
      }
      return true
    },
    { jsonSchema: { type: 'string', pattern: '^[^\\s#]{1,256}$' } },
  ),
  Schema.brand('SensorKey'),
).annotations({ identifier: 'SensorKey' })
export type SensorKey = typeof SensorKey.Type
