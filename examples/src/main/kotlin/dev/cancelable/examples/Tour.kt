package dev.cancelable.examples

import dev.cancelable.Cancelable
import dev.cancelable.CanceledByConditionException
import dev.cancelable.CanceledBySignalException
import dev.cancelable.CanceledByTimeoutException
import dev.cancelable.CanceledManuallyException
import dev.cancelable.CancellationReason
import dev.cancelable.CancellationToken
import dev.cancelable.examples.support.ProgressBars
import dev.cancelable.examples.support.RegistryTree
import dev.cancelable.registry.OperationRegistry
import dev.cancelable.source.CancellationSource
import dev.cancelable.source.ConditionSource
import dev.cancelable.source.SignalSource
import dev.cancelable.source.TimeoutSource
import dev.cancelable.source.TokenSource
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.joinAll
import kotlinx.coroutines.launch
import java.util.Locale
import kotlin.concurrent.thread
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.TimeSource

/**
 * The showcase's tour: a pipeline of operations with live progress bars, a timeout, a token
 * canceled from another thread, a condition, a parent cascade, and the registry's tree and
 * statistics. The whole tour is one operation watching SIGINT and SIGTERM, so Ctrl-C cancels it
 * cleanly, every step included. About six seconds at [pace] 1.0; every duration is multiplied by it
 * (0.2 runs the tour five times faster).
 */
class Tour(private val registry: OperationRegistry = OperationRegistry(), private val pace: Double = 1.0) {
    init {
        require(pace > 0.0 && pace.isFinite()) { "pace must be a positive number, was $pace" }
    }

    /** [duration] at the tour's pace. */
    private fun paced(duration: Duration): Duration = duration * pace

    /** Runs the tour; returns true if it ran to its end, false if a signal canceled it. */
    suspend fun run(): Boolean {
        val started = TimeSource.Monotonic.markNow()
        println("cancelable: composable, observable cancellation for the JVM. Ctrl-C cancels the tour.")
        val tour = Cancelable(name = "showcase", sources = listOf(SignalSource()), registry = registry)   // INT and TERM
        val completed = try {
            tour.run {
                pipeline()
                timeout()
                tokenFromAnotherThread()
                condition()
                parentCascade()
            }
            println()
            println("6. The registry kept every operation of the tour, parents and children:")
            true
        } catch (e: CanceledBySignalException) {
            println()
            println("Tour canceled by ${e.signal}: ${e.message}. What ran until then:")
            false
        }
        RegistryTree.render(registry.history() + registry.list()).forEach { println("   $it") }
        val stats = registry.statistics()
        val byStatus = stats.historyByStatus.entries.joinToString(", ") { (status, count) -> "$count $status" }
        val average = stats.averageCompletedDuration?.let { String.format(Locale.ROOT, "%.2f s", it.toMillis() / 1000.0) } ?: "n/a"
        println("   statistics: ${stats.historySize} finished ($byStatus), ${stats.activeCount} still running, average completed $average")
        val seconds = String.format(Locale.ROOT, "%.1f", started.elapsedNow().inWholeMilliseconds / 1000.0)
        println(
            (if (completed) "Tour completed" else "Tour canceled cleanly") +
                " in $seconds s. --list lists the examples, --example NAME runs one.",
        )
        return completed
    }

    private fun step(number: Int, title: String) {
        println()
        println("$number. $title")
    }

    private suspend fun pipeline() {
        step(1, "A pipeline of three operations, each with a live progress bar")
        val records = 120
        val started = TimeSource.Monotonic.markNow()
        Cancelable(name = "pipeline", registry = registry).run {
            val fetched = Channel<Int>(capacity = 16)
            val parsed = Channel<Int>(capacity = 16)
            val fetch = launch {
                stage("fetch", records) { report ->
                    for (record in 1..records) {
                        if (record % 10 == 1) delay(paced(150.milliseconds))   // a page of ten records
                        fetched.send(record)
                        report(record)
                    }
                    fetched.close()
                }
            }
            val parse = launch {
                stage("parse", records) { report ->
                    for (record in fetched) {
                        delay(paced(8.milliseconds))
                        parsed.send(record)
                        report(record)
                    }
                    parsed.close()
                }
            }
            val index = launch {
                stage("index", records) { report ->
                    for (record in parsed) {
                        delay(paced(12.milliseconds))
                        report(record)
                    }
                }
            }
            listOf(fetch, parse, index).joinAll()                          // the stages run inside the pipeline
        }
        println("   pipeline completed: 3 stages, $records records in ${started.elapsedNow().inWholeMilliseconds} ms")
    }

    private suspend fun timeout() {
        step(2, "A timeout: a 600 ms budget for a report that needs 2 s")
        val started = TimeSource.Monotonic.markNow()
        try {
            stage("report", 40, listOf(TimeoutSource(paced(600.milliseconds)))) { report ->
                for (part in 1..40) {
                    delay(paced(50.milliseconds))
                    report(part)
                }
            }
        } catch (e: CanceledByTimeoutException) {
            println("   report canceled after ${started.elapsedNow().inWholeMilliseconds} ms: ${e.reason} - ${e.message}")
        }
    }

    private suspend fun tokenFromAnotherThread() {
        step(3, "A token canceled from another thread")
        val stop = CancellationToken()
        thread(name = "operator", isDaemon = true) {
            Thread.sleep(paced(1200.milliseconds).inWholeMilliseconds)
            stop.cancel(CancellationReason.MANUAL, "operator pressed stop")
        }
        val started = TimeSource.Monotonic.markNow()
        try {
            stage("upload", 60, listOf(TokenSource(stop))) { report ->
                for (part in 1..60) {
                    delay(paced(50.milliseconds))
                    report(part)
                }
            }
        } catch (e: CanceledManuallyException) {
            println("   upload canceled from thread 'operator' after ${started.elapsedNow().inWholeMilliseconds} ms: " +
                "${e.reason} - ${e.message}")
        }
    }

    private suspend fun condition() {
        step(4, "A condition: stop the export once the disk is 90 % full")
        var disk = 75.0
        try {
            stage("export", 40, listOf(ConditionSource({ disk > 90.0 }, paced(100.milliseconds), "disk_full"))) { report ->
                for (part in 1..40) {
                    delay(paced(50.milliseconds))
                    disk += 1.0                                                  // every part written fills the disk
                    report(part)
                }
            }
        } catch (e: CanceledByConditionException) {
            println("   export canceled at disk ${disk.toInt()} %: ${e.reason} - ${e.message}")
        }
    }

    private suspend fun parentCascade() = coroutineScope {
        step(5, "A parent cascade: canceling the parent cancels its three children")
        val batch = Cancelable(name = "nightly-batch", registry = registry)
        launch {
            delay(paced(800.milliseconds))
            batch.cancel(CancellationReason.MANUAL, "maintenance window closed")
        }
        try {
            batch.run {
                val resizes = (1..3).map { i ->
                    launch {                                                    // each a child of nightly-batch
                        stage("resize-$i", 30) { report ->
                            for (image in 1..30) {
                                delay(paced((30 + 15 * i).milliseconds))
                                report(image)
                            }
                        }
                    }
                }
                resizes.joinAll()                                               // the cancel lands while we wait
            }
        } catch (e: CanceledManuallyException) {
            println("   ${batch.name} canceled: ${e.reason} - ${e.message}")
        }
        registry.history().filter { it.parentId == batch.id }.sortedBy { it.name }.forEach {
            println("     ${it.name}: ${it.status}, ${it.cancelReason} - ${it.cancelMessage}")
        }
    }

    /**
     * One operation of [total] steps, canceled by [sources], drawn as a progress bar: [body] reports
     * each step done, which the operation's progress callback turns into the bar's position.
     */
    private suspend fun stage(
        name: String,
        total: Int,
        sources: List<CancellationSource> = emptyList(),
        body: suspend (report: suspend (Int) -> Unit) -> Unit,
    ) {
        ProgressBars.open(name, total.toLong()).use { bar ->
            Cancelable(name = name, sources = sources, registry = registry)
                .onProgress { bar.stepTo((it.metadata["done"] as Int).toLong()) }
                .run {
                    body { done -> reportProgress("$name $done/$total", mapOf("done" to done)) }
                }
            if (bar.current < bar.max) bar.extraMessage = "stopped"
        }
    }
}
