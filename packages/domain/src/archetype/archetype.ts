import { Schema } from 'effect'
import { ArchetypeName, type PipelineConfig } from '../config/pipeline-config.ts'
import { ValidationRule } from '../config/validation-rule.ts'

/**
 * An archetype (seed 001): a named, reusable template of validation rules. A pipeline that `extends:` it
 * gets its rules; the pipeline's own rules override the template's rules with the same key.
 */
export const Archetype = Schema.Struct({
  name: ArchetypeName,
  description: Schema.String,
  rules: Schema.NonEmptyArray(ValidationRule),
}).annotations({ identifier: 'Archetype' })
export type Archetype = typeof Archetype.Type

/**
 * The rules of `config` merged with its archetype's: the template's rules whose key the pipeline does not
 * use, in template order, then all the pipeline's own rules. Applying it twice changes nothing, so a stored
 * (already merged) config can be decoded and merged again safely.
 */
export const mergeArchetypeRules = (
  archetype: Archetype,
  rules: ReadonlyArray<ValidationRule>,
): ReadonlyArray<ValidationRule> => {
  const overridden = new Set<string>(rules.map((rule) => rule.key))
  return [...archetype.rules.filter((rule) => !overridden.has(rule.key)), ...rules]
}

/** `config` with its validation rules merged with `archetype`'s (see {@link mergeArchetypeRules}). */
export const applyArchetype = (config: PipelineConfig, archetype: Archetype): PipelineConfig => ({
  ...config,
  validation: { ...config.validation, rules: mergeArchetypeRules(archetype, config.validation.rules) },
})
