package dev.cancelable.internal

import org.slf4j.Logger

/**
 * Logs the consecutive failures of one polled user function (a condition, a resource reader)
 * sparingly, so a function that keeps failing does not write a stack trace on every poll:
 *
 * | failure in a row           | logged                                                        |
 * |----------------------------|---------------------------------------------------------------|
 * | 1st                        | WARN `<subject> <verb>; polling continues`, with stack trace  |
 * | 10th, 100th, 1,000th...    | WARN `... <n> times in a row; polling continues: <e>`, one line |
 * | any other                  | DEBUG, with stack trace                                       |
 *
 * [succeeded] ends the streak (logged at DEBUG when there was one), so the next failure is a first
 * one again. Not thread-safe: one per poller, used by its one coroutine.
 */
internal class FailureStreak(private val log: Logger, private val subject: String, private val verb: String) {
    private var failures = 0L
    private var nextLine = FIRST_LINE

    fun failed(e: Throwable) {
        val n = ++failures
        when {
            n == 1L -> log.warn("{} {}; polling continues", subject, verb, e)
            n == nextLine -> {
                nextLine = if (nextLine > Long.MAX_VALUE / 10) Long.MAX_VALUE else nextLine * 10
                log.warn("{} {} {} times in a row; polling continues: {}", subject, verb, n, e.toString())
            }
            else -> if (log.isDebugEnabled) log.debug("{} {} again ({} in a row)", subject, verb, n, e)
        }
    }

    fun succeeded() {
        if (failures == 0L) return
        log.debug("{} succeeded after {} failures in a row", subject, failures)
        failures = 0L
        nextLine = FIRST_LINE
    }

    private companion object {
        const val FIRST_LINE = 10L
    }
}
