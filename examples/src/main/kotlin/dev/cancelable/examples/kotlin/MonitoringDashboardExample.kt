package dev.cancelable.examples.kotlin

import dev.cancelable.Cancelable
import dev.cancelable.CanceledByTimeoutException
import dev.cancelable.OperationCanceledException
import dev.cancelable.OperationContext
import dev.cancelable.ProgressReport
import dev.cancelable.examples.support.DashboardView
import dev.cancelable.registry.OperationListener
import dev.cancelable.registry.OperationRegistry
import dev.cancelable.registry.OperationSnapshot
import dev.cancelable.source.ConditionSource
import dev.cancelable.source.SignalSource
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.job
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import java.io.IOException
import java.lang.management.ManagementFactory
import java.util.Random
import java.util.concurrent.atomic.AtomicInteger
import javax.management.ObjectName
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
        val events = dashboard(registry) { generateWorkloads(registry) }
        DashboardView.frame(registry, "final", null).forEach(::println)
        println("registry events seen: $events (started, progress, finished)")
    }

    // region readme:dashboard
    /** Shows [registry] every 100 ms until Ctrl-C or five frames; [workloads] run as its child and stop with it. */
    suspend fun dashboard(registry: OperationRegistry, workloads: suspend CoroutineScope.() -> Unit): Int {
        val frames = AtomicInteger()
        val events = AtomicInteger()
        val dashboard = Cancelable(
            name = "dashboard",
            sources = listOf(
                SignalSource(),                                                   // Ctrl-C stops it
                ConditionSource({ frames.get() >= 5 }, 50.milliseconds, "five_frames"),   // or five frames
            ),
            registry = null,                                                      // not one of the operations it shows
        )
        val jmxName = ObjectName("dev.cancelable:type=OperationRegistry,name=dashboard")
        registry.exposeJmx("dashboard").use {                                     // visible in jconsole meanwhile
            try {
                dashboard.run {
                    val counting = registry.addListener(object : OperationListener {   // every start, report and end
                        override fun onStarted(operation: OperationContext) { events.incrementAndGet() }
                        override fun onProgress(report: ProgressReport) { events.incrementAndGet() }
                        override fun onFinished(snapshot: OperationSnapshot) { events.incrementAndGet() }
                    })
                    coroutineContext.job.invokeOnCompletion { counting.close() }
                    launch { workloads() }
                    while (true) {
                        delay(100.milliseconds)
                        val stats = registry.statistics()
                        val jmxCount = ManagementFactory.getPlatformMBeanServer().getAttribute(jmxName, "ActiveCount")
                        println("--- frame ${frames.incrementAndGet()}: ${stats.activeCount} running, ${stats.historySize} finished " +
                            "${stats.historyByStatus}, ${events.get()} events | JMX ActiveCount=$jmxCount")
                        registry.list().take(3).forEach { println("  ${it.status} ${it.name}, ${it.duration?.toMillis()} ms") }
                    }
                }
            } catch (e: OperationCanceledException) {
                println("dashboard stopped: ${e.reason} - ${e.message}")
            }
        }
        return events.get()
    }
    // endregion

    /** Starts a workload every 20 ms: API calls that sometimes fail, batch jobs, downloads with a deadline. */
    private suspend fun CoroutineScope.generateWorkloads(registry: OperationRegistry) {
        val random = Random(7)
        var n = 0
        while (true) {
            delay(20.milliseconds)
            n++
            val kind = random.nextInt(3)
            val work = (20 + random.nextInt(150)).milliseconds
            val fails = random.nextDouble() < 0.2
            val name = when (kind) {
                0 -> "api-call /orders/$n"
                1 -> "batch dataset_$n"
                else -> "download file_$n"
            }
            launch {
                try {
                    when (kind) {
                        0 -> Cancelable(name = name, registry = registry).run {
                            delay(work)
                            if (fails) throw IOException("upstream 503")
                        }
                        1 -> Cancelable(name = name, registry = registry).run {
                            repeat(4) { step ->
                                delay(work / 4)
                                reportProgress("batch $n step ${step + 1}/4")
                            }
                        }
                        else -> Cancelable(name = name, timeout = 60.milliseconds, registry = registry).run {
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
