import { describe, expect, it } from 'vitest'
import { parDay, renderTemplate, renderTemplateValues, splitPeriod } from './template-variables.ts'

const hourly = { pipelineId: 'clickstream-hourly', attemptId: 'a-3', period: '2026-03-06T16' }
const daily = { pipelineId: 'orders-daily', attemptId: 'a-1', period: '2026-03-03' }

describe('splitPeriod', () => {
  it.each([
    ['2026-03-03T10', '2026-03-03', '10'],
    ['2026-03-03', '2026-03-03', ''],
    ['', '', ''],
    ['2026-03-03T', '2026-03-03', ''],
    ['T10', '', '10'],
    ['20260303T07', '20260303', '07'],
  ])('splits %j into date %j and hour %j', (period, date, hour) => {
    expect(splitPeriod(period)).toEqual({ date, hour })
  })
})

describe('parDay', () => {
  it('removes the dashes of the date part', () => {
    expect(parDay('2026-03-06T16')).toBe('20260306')
    expect(parDay('2026-03-03')).toBe('20260303')
  })
})

describe('renderTemplate', () => {
  it('replaces every template variable', () => {
    expect(renderTemplate('{{pipelineId}}/{{date}}/{{hour}}/{{period}}/{{attemptId}}', hourly)).toBe(
      'clickstream-hourly/2026-03-06/16/2026-03-06T16/a-3',
    )
  })

  it('accepts spaces inside the braces and gives an empty hour for a daily period', () => {
    expect(renderTemplate('day={{ date }} hour={{ hour }}', daily)).toBe('day=2026-03-03 hour=')
  })

  it('leaves other templates, such as Airflow Jinja, as written', () => {
    expect(renderTemplate('{"ds":"{{ ds }}","d":"{{date}}","x":"{{unknown}}"}', daily)).toBe(
      '{"ds":"{{ ds }}","d":"2026-03-03","x":"{{unknown}}"}',
    )
  })

  it('renders map values and keeps keys in order', () => {
    expect(renderTemplateValues({ b: '{{date}}', a: 'x' }, daily)).toEqual({ b: '2026-03-03', a: 'x' })
    expect(Object.keys(renderTemplateValues({ b: '1', a: '2' }, daily))).toEqual(['b', 'a'])
  })
})
