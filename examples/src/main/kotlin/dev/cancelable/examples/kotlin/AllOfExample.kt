package dev.cancelable.examples.kotlin

import dev.cancelable.Cancelable
import dev.cancelable.OperationCanceledException
import dev.cancelable.source.AllOfSource
import dev.cancelable.source.ConditionSource
import dev.cancelable.source.TimeoutSource
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import java.util.concurrent.atomic.AtomicInteger
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.TimeSource

/** All-of: cancel only once every source has fired; here "at least this long AND at least ten items". */
object AllOfExample {
    @JvmStatic
    fun main(args: Array<String>): Unit = runBlocking {
        sample(itemEvery = 10.milliseconds, minimum = 250.milliseconds)    // items first, time last
        sample(itemEvery = 40.milliseconds, minimum = 100.milliseconds)    // time first, items last
    }

    // region readme:all-of
    /** Samples one item every [itemEvery] until it has run for [minimum] and has ten items, whichever comes last. */
    suspend fun sample(itemEvery: Duration, minimum: Duration) {
        val started = TimeSource.Monotonic.markNow()
        val sampled = AtomicInteger()
        val enough = AllOfSource(
            TimeoutSource(minimum),                                             // at least this long
            ConditionSource({ sampled.get() >= 10 }, 10.milliseconds, "ten_samples"),  // and ten samples
        )
        try {
            Cancelable(name = "sampler", sources = listOf(enough)).run {
                while (true) {
                    delay(itemEvery)
                    sampled.incrementAndGet()
                }
            }
        } catch (e: OperationCanceledException) {
            println("sampler stopped with ${sampled.get()} samples after ${started.elapsedNow().inWholeMilliseconds} ms " +
                "(minimum ${minimum.inWholeMilliseconds} ms): ${e.reason} - ${e.message}")
        }
    }
    // endregion
}
