package dev.cancelable.examples.kotlin

import dev.cancelable.Cancelable
import dev.cancelable.micrometer.OperationMetrics
import dev.cancelable.registry.OperationRegistry
import io.micrometer.prometheusmetrics.PrometheusConfig
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

/**
 * Operations exported to Micrometer's Prometheus registry: durations by outcome, cancels by reason,
 * live operations and progress reports, per operation name; then the scrape text a Prometheus server
 * would read from `/metrics`.
 */
object MetricsExample {
    @JvmStatic
    fun main(args: Array<String>): Unit = runBlocking {
        // region readme:metrics
        val operations = OperationRegistry()                       // or OperationRegistry.global, the default
        val prometheus = PrometheusMeterRegistry(PrometheusConfig.DEFAULT)
        val metrics = OperationMetrics.builder()
            .registry(operations)
            .nameNormalizer { it.substringBefore(' ') }            // "sync-orders 17" is counted as "sync-orders"
            .maxNames(20)                                          // beyond 20 names: operation="other"
            .build()
        metrics.bindTo(prometheus)                                 // or Metrics.globalRegistry

        for (page in 1..3) {
            Cancelable(name = "sync-orders $page", registry = operations).run {
                delay(10.milliseconds)
                reportProgress("page $page done")
            }
        }
        Cancelable(name = "sync-orders 4", timeout = 20.milliseconds, registry = operations).runOrNull { delay(1.seconds) }
        Cancelable(name = "build-report", registry = operations).runOrNull {
            operation.cancel(message = "user closed the page")
            awaitCancellation()
        }
        runCatching { Cancelable(name = "import-csv", registry = operations).run { error("bad row 7") } }

        prometheus.scrape().lines().filter { it.startsWith("cancelable_") }.forEach(::println)
        metrics.close()                                            // removes its meters and its listener
        println("after close: ${prometheus.meters.size} meters")
        // endregion
    }
}
