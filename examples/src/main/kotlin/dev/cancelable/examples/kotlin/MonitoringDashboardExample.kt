package dev.cancelable.examples.kotlin

import dev.cancelable.Cancelable
import dev.cancelable.OperationCanceledException
import dev.cancelable.CanceledByTimeoutException
import dev.cancelable.cancelable
import dev.cancelable.examples.support.DashboardView
import dev.cancelable.examples.support.scaled
import dev.cancelable.registry.OperationRegistry
import dev.cancelable.source.SignalSource
import dev.cancelable.source.ConditionSource
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import java.io.IOException
import java.util.Random
import java.util.concurrent.atomic.AtomicInteger
import kotlin.time.Duration.Companion.milliseconds

/**
 * A live dashboard over a registry while simulated workloads come and go: the registry's listing,
 * statistics, event stream and JMX view. The dashboard is an operation too: Ctrl-C stops it, or a
 * condition after five frames, and with it every workload it started (reason PARENT).
 */
object MonitoringDashboardExample {
    @JvmStatic
    fun main(args: Array<String>): Unit = runBlocking {
        val registry = OperationRegistry(historyLimit = 500)
        val events = AtomicInteger()
        // region readme:dashboard
        val frames = AtomicInteger()
        val dashboard = Cancelable(name = "dashboard", registry = null)
            .addSource(SignalSource())                                    // Ctrl-C stops it
            .addSource(ConditionSource({ frames.get() >= 5 }, scaled(50.milliseconds), "five_frames"))   // or five frames
        registry.exposeJmx("dashboard").use {                             // visible in jconsole meanwhile
            try {
                dashboard.run {
                    launch { registry.events.collect { events.incrementAndGet() } }
                    launch { generateWorkloads(registry) }
                    while (true) {
                        delay(scaled(300.milliseconds))
                        DashboardView.frame(registry, "frame ${frames.incrementAndGet()}", "dashboard").forEach(::println)
                    }
                }
            } catch (e: OperationCanceledException) {
                println("dashboard stopped: ${e.reason} - ${e.message}")
            }
        }
        // endregion
        DashboardView.frame(registry, "final", null).forEach(::println)
        println("registry events seen: ${events.get()} (started, progress, finished)")
    }

    /** Starts a workload every 60 ms: API calls that sometimes fail, batch jobs, downloads with a deadline. */
    private suspend fun CoroutineScope.generateWorkloads(registry: OperationRegistry) {
        val random = Random(7)
        var n = 0
        while (true) {
            delay(scaled(60.milliseconds))
            n++
            val kind = random.nextInt(3)
            val work = scaled((50 + random.nextInt(400)).milliseconds)
            val fails = random.nextDouble() < 0.2
            launch {
                try {
                    when (kind) {
                        0 -> cancelable(name = "api-call /orders/$n", registry = registry) {
                            delay(work)
                            if (fails) throw IOException("upstream 503")
                        }
                        1 -> cancelable(name = "batch dataset_$n", registry = registry) { op ->
                            repeat(4) { step ->
                                delay(work / 4)
                                op.reportProgress("batch $n step ${step + 1}/4")
                            }
                        }
                        else -> cancelable(timeout = scaled(200.milliseconds), name = "download file_$n", registry = registry) {
                            delay(work)
                        }
                    }
                } catch (_: IOException) {
                    // recorded as FAILED in the registry
                } catch (_: CanceledByTimeoutException) {
                    // recorded as CANCELED (TIMEOUT) in the registry
                }
            }
        }
    }
}
