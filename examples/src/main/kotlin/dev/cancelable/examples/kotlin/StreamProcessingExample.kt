package dev.cancelable.examples.kotlin

import dev.cancelable.Cancelable
import dev.cancelable.CanceledByTimeoutException
import dev.cancelable.examples.support.ProgressBars
import dev.cancelable.examples.support.scaled
import dev.cancelable.flow.PartialResult
import dev.cancelable.flow.stream
import dev.cancelable.flow.streamChunked
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.asFlow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.runBlocking
import kotlin.time.Duration.Companion.milliseconds

/** A stream under an operation: progress every N items on a progress bar, and the partial result when it is cut short. */
object StreamProcessingExample {
    /** An endless sensor: one reading every 5 ms. */
    private val readings: Flow<Int> = flow {
        var reading = 0
        while (true) {
            delay(scaled(5.milliseconds))
            emit(reading++)
        }
    }

    @JvmStatic
    fun main(args: Array<String>): Unit = runBlocking {
        var stored = 0L
        // region readme:stream
        val ingest = Cancelable.withTimeout(scaled(1000.milliseconds), name = "ingest-readings")
        ProgressBars.open("ingest", 200).use { bar ->
            ingest.onProgress { _, _, meta -> bar.stepTo((meta["count"] as Number).toLong()) }
            try {
                ingest.run {
                    stream(readings, reportInterval = 10).collect { stored += it }   // "Processed N items" every 10
                }
            } catch (e: CanceledByTimeoutException) {
                bar.extraMessage = "cut by ${e.reason}"
            }
        }
        val partial = ingest.partialResult as PartialResult<*>
        println("ingest-readings ${ingest.status}: ${partial.count} readings, completed=${partial.completed}, " +
            "last ${partial.buffer?.takeLast(3)}")
        // endregion

        // region readme:stream-chunked
        val batches = mutableListOf<Int>()
        val load = Cancelable(name = "load-rows")
        load.run {
            streamChunked((1..120).asFlow(), chunkSize = 25).collect { batch -> batches += batch.size }
        }
        println("load-rows ${load.status}: batches $batches, ${(load.partialResult as PartialResult<*>).count} rows")
        // endregion
    }
}
