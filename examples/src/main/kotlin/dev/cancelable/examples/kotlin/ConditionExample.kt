package dev.cancelable.examples.kotlin

import dev.cancelable.Cancelable
import dev.cancelable.CanceledByConditionException
import dev.cancelable.source.ConditionSource
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import java.util.concurrent.atomic.AtomicInteger
import kotlin.time.Duration.Companion.milliseconds

/** A polled condition cancels an operation once it holds: here, a backlog that grew too long. */
object ConditionExample {
    @JvmStatic
    fun main(args: Array<String>): Unit = runBlocking {
        // region readme:condition
        val backlog = AtomicInteger()
        val backlogFull = ConditionSource(
            { backlog.get() >= 5 },                                 // checked at start, then every interval
            checkInterval = 50.milliseconds,
            conditionName = "backlog_full",
        )
        try {
            Cancelable(name = "slow-consumer", sources = listOf(backlogFull)).run {
                while (true) {
                    delay(40.milliseconds)
                    backlog.incrementAndGet()                       // the producer outpaces us
                }
            }
        } catch (e: CanceledByConditionException) {
            println("slow-consumer canceled: ${e.reason} - ${e.message} (backlog ${backlog.get()})")
        }
        // endregion
    }
}
