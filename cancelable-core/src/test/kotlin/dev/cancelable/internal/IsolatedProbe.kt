package dev.cancelable.internal

import dev.cancelable.Cancelable
import dev.cancelable.OperationCanceledException
import dev.cancelable.flow.cancelable
import dev.cancelable.source.ResourceReaders
import dev.cancelable.source.ResourceSource
import dev.cancelable.source.SignalSource
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.asFlow
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import kotlin.time.Duration.Companion.milliseconds

/** Run by [PlatformIsolationTest] inside a class loader without the signal API and management beans. */
object IsolatedProbe {
    @JvmStatic
    fun run(): List<String> = buildList {
        val op = Cancelable(registry = null)
        val sum = runBlocking { op.run { listOf(20, 22).asFlow().cancelable().toList().sum() } }
        add("operation: $sum ${op.status.name.lowercase()}")
        add("signal: " + outcome { SignalSource() })
        add("memory: " + outcome { ResourceSource(memoryThreshold = 80.0) })
        add("cpu: " + outcome { ResourceSource(cpuThreshold = 80.0) })
        val guarded = Cancelable(
            registry = null,
            sources = listOf(ResourceSource(memoryThreshold = 80.0, checkInterval = 10.milliseconds, readers = ResourceReaders(memory = { 90.0 }))),
        )
        val reason = try {
            runBlocking { guarded.run { delay(5_000) } }
            "not canceled"
        } catch (e: OperationCanceledException) {
            e.reason.name.lowercase()
        }
        add("injected memory reader: $reason")
        add("disk: " + outcome { ResourceSource(diskThreshold = 99.0) })
    }

    private fun outcome(build: () -> Any): String = try {
        build()
        "built"
    } catch (e: Exception) {
        "${e.javaClass.simpleName}: ${e.message}"
    }
}
