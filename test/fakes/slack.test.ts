import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type FakeSlack, slackRateLimited, startFakeSlack } from './slack.ts'

let slack: FakeSlack
beforeEach(async () => {
  slack = await startFakeSlack({ channelIds: { '#alerts': 'C0ALERTS' } })
})
afterEach(() => slack.close())

const post = async (body: string, headers: Record<string, string>) => {
  const response = await fetch(`${slack.apiUrl}/chat.postMessage`, { method: 'POST', body, headers })
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: await response.json(),
  }
}
const json = (fields: unknown, token = slack.token) =>
  post(JSON.stringify(fields), { 'content-type': 'application/json', authorization: `Bearer ${token}` })

describe('fake Slack chat.postMessage', () => {
  it('accepts a form body with the token as a field, and answers a channel name with its id', async () => {
    const form = new URLSearchParams({
      token: slack.token,
      channel: '#alerts',
      blocks: JSON.stringify([{ type: 'section', text: { type: 'mrkdwn', text: '*hello*' } }]),
    })
    const answer = await post(form.toString(), { 'content-type': 'application/x-www-form-urlencoded' })
    expect(answer.body).toMatchObject({ ok: true, channel: 'C0ALERTS', ts: '1767571200.000001' })
    expect(slack.messages).toEqual([
      expect.objectContaining({
        channel: 'C0ALERTS',
        rendered: '*hello*',
        body: 'form',
        threadTs: undefined,
      }),
    ])
  })

  it('refuses a missing or wrong token, an unknown thread and an empty message the way Slack does', async () => {
    const noToken = await post(JSON.stringify({ channel: 'C1', text: 'x' }), {
      'content-type': 'application/json',
    })
    expect(noToken.body).toEqual({ ok: false, error: 'not_authed' })
    expect((await json({ channel: 'C1', text: 'x' }, 'xoxb-wrong')).body).toEqual({
      ok: false,
      error: 'invalid_auth',
    })
    expect((await json({ channel: 'C1', text: 'x', thread_ts: '1.2' })).body).toEqual({
      ok: false,
      error: 'thread_not_found',
    })
    expect((await json({ channel: 'C1' })).body).toEqual({ ok: false, error: 'no_text' })
    expect(slack.messages).toEqual([])
  })

  it('threads a reply under its parent and plays scripted faults first', async () => {
    slack.failNext(slackRateLimited(7))
    const limited = await json({ channel: 'C1', text: 'first' })
    expect(limited).toEqual({ status: 429, retryAfter: '7', body: { ok: false, error: 'ratelimited' } })
    const parent = await json({ channel: 'C1', text: 'first' })
    const reply = await json({ channel: 'C1', text: 'second', thread_ts: parent.body.ts })
    expect(reply.body.ok).toBe(true)
    expect(slack.messages.map((message) => [message.rendered, message.threadTs])).toEqual([
      ['first', undefined],
      ['second', parent.body.ts],
    ])
  })
})
