package dev.cancelable.examples.support

import java.time.Duration

/**
 * The pace of what the examples simulate for a person to watch, such as a user who may press Ctrl-C
 * or a language model typing its answer: a person's pace when the output is a terminal, fast when it
 * is piped (CI, the smoke test), where nobody watches. The durations of the operations themselves are
 * real and never go through here.
 */
object DemoPace {
    /** True when a person is likely watching: the output is a terminal (see [ProgressBars.interactive]). */
    @JvmStatic
    fun watched(): Boolean = ProgressBars.interactive()

    /** [person] when someone watches, else [piped]. */
    @JvmStatic
    fun of(person: Duration, piped: Duration): Duration = if (watched()) person else piped
}
