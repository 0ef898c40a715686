import { nextCronFire, previousCronFire } from '@interlock/domain'

/** Two consecutive fires of one cron: no fire lies strictly between them (undefined: none ever). */
interface Bracket {
  readonly previous: number | undefined
  readonly next: number | undefined
}

/** Brackets kept per cron and zone: the scan asks around now, the fire before the grace and the next fires. */
const BRACKETS_PER_CRON = 8

const inside = (bracket: Bracket, instant: number): boolean =>
  (bracket.previous === undefined || bracket.previous <= instant) &&
  (bracket.next === undefined || instant < bracket.next)

/**
 * The domain's `previousCronFire` / `nextCronFire`, remembered. Each call there compiles the expression
 * (~0.1 ms), and a scan asks several times per cron pipeline; but between two consecutive fires every
 * answer is the same, so one pair of fires answers every question about the instants between them.
 */
export class CronBrackets {
  private readonly brackets = new Map<string, Bracket[]>()

  /** The last fire at or before `atOrBefore`. */
  previous(cron: string, timezone: string, atOrBefore: number): number | undefined {
    return this.around(cron, timezone, atOrBefore).previous
  }

  /** The first fire strictly after `after`. */
  next(cron: string, timezone: string, after: number): number | undefined {
    return this.around(cron, timezone, after).next
  }

  private around(cron: string, timezone: string, instant: number): Bracket {
    const key = `${timezone} ${cron}`
    const known = this.brackets.get(key) ?? []
    const hit = known.find((bracket) => inside(bracket, instant))
    if (hit !== undefined) return hit
    const bracket = {
      previous: previousCronFire(cron, timezone, instant),
      next: nextCronFire(cron, timezone, instant),
    }
    this.brackets.set(key, [bracket, ...known].slice(0, BRACKETS_PER_CRON))
    return bracket
  }
}

/** The brackets every scan of this process shares. */
export const cronBrackets = new CronBrackets()
