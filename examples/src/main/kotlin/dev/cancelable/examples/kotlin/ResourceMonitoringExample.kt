package dev.cancelable.examples.kotlin

import dev.cancelable.Cancelable
import dev.cancelable.CanceledByConditionException
import dev.cancelable.source.ResourceReader
import dev.cancelable.source.ResourceReaders
import dev.cancelable.source.ResourceSource
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import java.io.File
import java.util.Locale
import kotlin.time.Duration.Companion.milliseconds

/**
 * Cancel when memory, CPU or disk usage crosses a threshold. The machine's real readings are
 * printed; the cancel itself is driven by a simulated memory reader that climbs, so the example
 * behaves the same on every machine.
 */
object ResourceMonitoringExample {
    @JvmStatic
    fun main(args: Array<String>): Unit = runBlocking {
        println(
            "this machine: memory ${percent(ResourceReaders.systemMemory())}, cpu ${percent(ResourceReaders.systemCpu())}, " +
                "disk ${percent(ResourceReaders.diskSpace(File("/")))}",
        )

        // region readme:resources
        var reading = 64.0
        val leakyMemory = ResourceReader { reading.also { reading += 6.0 } }   // 64, 70, 76, ... percent
        val memoryWatch = ResourceSource(
            memoryThreshold = 90.0,
            checkInterval = 50.milliseconds,
            readers = ResourceReaders(memory = leakyMemory),           // omit for the real machine's memory
        )
        try {
            Cancelable(name = "transcode", sources = listOf(memoryWatch)).run {
                while (true) delay(20.milliseconds)                       // frames, frames, frames
            }
        } catch (e: CanceledByConditionException) {
            println("transcode canceled: ${e.reason} - ${e.message} (resource ${e.conditionName})")
        }
        // endregion
    }

    private fun percent(reader: ResourceReader): String {
        val value = reader.usagePercent()
        return if (value.isNaN() || value < 0) "n/a" else String.format(Locale.ROOT, "%.1f%%", value)
    }
}
