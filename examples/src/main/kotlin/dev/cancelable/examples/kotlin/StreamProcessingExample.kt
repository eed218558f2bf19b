package dev.cancelable.examples.kotlin

import dev.cancelable.Cancelable
import dev.cancelable.CanceledByTimeoutException
import dev.cancelable.examples.support.ProgressBars
import dev.cancelable.flow.PartialResult
import dev.cancelable.flow.cancelable
import dev.cancelable.flow.cancelableChunks
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.asFlow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.runBlocking
import me.tongfei.progressbar.ProgressBar
import kotlin.time.Duration.Companion.milliseconds

/** A stream under an operation: progress every N items on a progress bar, and the partial result when it is cut short. */
object StreamProcessingExample {
    /** An endless sensor: one reading every 5 ms. */
    private val readings: Flow<Int> = flow {
        var reading = 0
        while (true) {
            delay(5.milliseconds)
            emit(reading++)
        }
    }

    // region readme:stream
    /** Stores [readings] for half a second, moving [bar] every 10 of them, then closes it and prints what went through. */
    suspend fun ingest(readings: Flow<Int>, bar: ProgressBar) {
        var stored = 0L
        val ingest = Cancelable(name = "ingest-readings", timeout = 500.milliseconds)
            .onProgress { bar.stepTo((it.metadata["count"] as Number).toLong()) }
        bar.use {
            try {
                ingest.run {
                    readings.cancelable(reportInterval = 10).collect { stored += it }   // "Processed N items" every 10
                }
            } catch (e: CanceledByTimeoutException) {
                bar.extraMessage = "cut by ${e.reason}"
            }
        }
        val partial = ingest.partialResult as PartialResult<*>
        println("ingest-readings ${ingest.status}: ${partial.count} readings, completed=${partial.completed}, " +
            "last ${partial.buffer?.takeLast(3)}")
    }
    // endregion

    @JvmStatic
    fun main(args: Array<String>): Unit = runBlocking {
        ingest(readings, ProgressBars.open("ingest", 100))

        // region readme:stream-chunked
        val batches = mutableListOf<Int>()
        val load = Cancelable(name = "load-rows")
        load.run {
            (1..120).asFlow().cancelableChunks(size = 25).collect { batch -> batches += batch.size }
        }
        println("load-rows ${load.status}: batches $batches, ${(load.partialResult as PartialResult<*>).count} rows")
        // endregion
    }
}
