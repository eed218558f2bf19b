package dev.cancelable.examples.kotlin

import dev.cancelable.Cancelable
import dev.cancelable.OperationCanceledException
import dev.cancelable.examples.support.scaled
import dev.cancelable.source.AllOfSource
import dev.cancelable.source.ConditionSource
import dev.cancelable.source.TimeoutSource
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import java.util.concurrent.atomic.AtomicInteger
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds
import kotlin.time.TimeSource

/** All-of: cancel only once every source has fired; here "at least this long AND at least ten items". */
object AllOfExample {
    @JvmStatic
    fun main(args: Array<String>): Unit = runBlocking {
        sample(itemEvery = scaled(20.milliseconds), minimum = scaled(1.seconds))    // items first, time last
        sample(itemEvery = scaled(100.milliseconds), minimum = scaled(200.milliseconds))  // time first, items last
    }

    private suspend fun sample(itemEvery: Duration, minimum: Duration) {
        val started = TimeSource.Monotonic.markNow()
        // region readme:all-of
        val sampled = AtomicInteger()
        val sampler = Cancelable(name = "sampler").addSource(
            AllOfSource(
                TimeoutSource(minimum),                                             // at least this long
                ConditionSource({ sampled.get() >= 10 }, scaled(10.milliseconds), "ten_samples"),  // and ten samples
            ),
        )
        try {
            sampler.run {
                while (true) {
                    delay(itemEvery)
                    sampled.incrementAndGet()
                }
            }
        } catch (e: OperationCanceledException) {
            println("sampler stopped with ${sampled.get()} samples after ${started.elapsedNow().inWholeMilliseconds} ms " +
                "(minimum ${minimum.inWholeMilliseconds} ms): ${e.reason} - ${e.message}")
        }
        // endregion
    }
}
