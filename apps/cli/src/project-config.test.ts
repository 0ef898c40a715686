import { SEED_PROJECT_YAML } from '@interlock/domain'
import { describe, expect, it } from 'vitest'
import { SCAFFOLD } from './init-command.ts'
import { PROJECT_FILE, parseProject } from './project-config.ts'

describe('interlock.yaml', () => {
  it("loads seed 001's file unchanged: folders, API address and alert sinks as settings; redis noticed", () => {
    const { project, problems } = parseProject(SEED_PROJECT_YAML, '/srv/project')
    expect(problems).toEqual([])
    expect(project).toMatchObject({
      root: '/srv/project',
      archetypeDirs: ['/srv/project/archetypes'],
      evaluatorDirs: ['/srv/project/evaluators'],
      pipelineDirs: ['/srv/project/pipelines'],
      calendarDirs: ['/srv/project/calendars'],
      notices: [
        'provider redis: Interlock keeps its event log and state in Postgres; the redis settings are not used',
      ],
    })
    expect(project?.settings).toEqual({
      INTERLOCK_API_HOST: '0.0.0.0',
      INTERLOCK_API_PORT: '3000',
      INTERLOCK_ALERT_CONSOLE_ROUTE: '*',
      INTERLOCK_ALERT_WEBHOOK_URL: 'http://localhost:8080/alerts',
      INTERLOCK_ALERT_FILE_PATH: '/srv/project/alerts.log',
    })
  })

  it('maps env: to the variables job configs may read (INTERLOCK_JOB_ENV), refusing what is not a name', () => {
    const { project } = parseProject('env: [AIRFLOW_TOKEN, DATABRICKS_TOKEN]\n', '/p')
    expect(project?.settings).toEqual({ INTERLOCK_JOB_ENV: 'AIRFLOW_TOKEN,DATABRICKS_TOKEN' })
    expect(parseProject('env: AIRFLOW_TOKEN\n', '/p').problems).toEqual([
      'env: a list of environment variable names job configs may read, such as [AIRFLOW_TOKEN, DATABRICKS_TOKEN]',
    ])
    expect(parseProject('env: ["Bearer x"]\n', '/p').problems).toHaveLength(1)
  })

  it('is scaffolded by init with env: commented out, ready to uncomment', () => {
    const text = SCAFFOLD.find((file) => file.path === PROJECT_FILE)?.text ?? ''
    expect(text).toContain('\n# env: [AIRFLOW_TOKEN, DATABRICKS_TOKEN]\n')
    expect(parseProject(text, '/p').project?.settings.INTERLOCK_JOB_ENV).toBeUndefined()
    const uncommented = parseProject(text.replace('# env:', 'env:'), '/p')
    expect(uncommented.project?.settings.INTERLOCK_JOB_ENV).toBe('AIRFLOW_TOKEN,DATABRICKS_TOKEN')
  })

  it('maps a database URL, host:port and routes; every problem at once, with the nearest key', () => {
    const { project } = parseProject(
      'database: {url: "postgres://u@db:5432/x"}\nserver: {addr: "127.0.0.1:9090"}\nalerts:\n  - {type: slack, channel: "#alerts", route: "critical"}\n',
      '/p',
    )
    expect(project?.settings).toEqual({
      DATABASE_URL: 'postgres://u@db:5432/x',
      INTERLOCK_API_HOST: '127.0.0.1',
      INTERLOCK_API_PORT: '9090',
      INTERLOCK_ALERT_SLACK_ROUTE: 'critical',
      INTERLOCK_ALERT_SLACK_CHANNEL: '#alerts',
    })
    const { problems } = parseProject(
      'pipelineDir: [./p]\nprovider: mysql\nserver: {addr: "nowhere"}\nalerts:\n  - {type: sns}\n  - {type: file}\n',
      '/p',
    )
    expect(problems).toEqual([
      'pipelineDir: unknown key "pipelineDir"; did you mean "pipelineDirs"?',
      'provider: "mysql" is not a provider; Interlock uses postgres',
      'server.addr: write host:port, :port or port, such as "127.0.0.1:8080"',
      'alerts[0].type: one of console, file, webhook, slack, got "sns"',
      'alerts[1].path: required for a file sink',
    ])
  })
})
