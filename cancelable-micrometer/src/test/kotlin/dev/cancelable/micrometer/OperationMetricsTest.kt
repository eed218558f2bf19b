package dev.cancelable.micrometer

import dev.cancelable.Cancelable
import dev.cancelable.CanceledByTimeoutException
import dev.cancelable.CanceledManuallyException
import dev.cancelable.registry.OperationRegistry
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldContainExactlyInAnyOrder
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.micrometer.core.instrument.Meter
import io.micrometer.core.instrument.Metrics
import io.micrometer.core.instrument.simple.SimpleMeterRegistry
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.runTest
import java.util.function.Function
import kotlin.time.Duration.Companion.seconds

/** Describes a meter as `name{key=value,...}`, tags sorted, for exact comparisons. */
private fun Meter.describe(): String =
    id.name + id.tags.sortedBy { it.key }.joinToString(",", "{", "}") { "${it.key}=${it.value}" }

class OperationMetricsTest : FunSpec({

    test("a scripted mix of completed, timed-out, manually canceled and failed operations gives exact counts and tags [scenario 170]") {
        runTest {
            val operations = OperationRegistry()
            val meters = SimpleMeterRegistry()
            val metrics = OperationMetrics.builder().registry(operations).build()
            metrics.bindTo(meters)

            repeat(3) { Cancelable(name = "fetch", registry = operations).run { delay(1.seconds) } }
            repeat(2) {
                shouldThrow<CanceledByTimeoutException> {
                    Cancelable(name = "fetch", timeout = 2.seconds, registry = operations).run { delay(10.seconds) }
                }
            }
            shouldThrow<CanceledManuallyException> {
                Cancelable(name = "fetch", registry = operations).run {
                    operation.cancel(message = "user pressed stop")
                    awaitCancellation()
                }
            }
            shouldThrow<IllegalStateException> {
                Cancelable(name = "import", registry = operations).run {
                    reportProgress("read header")
                    reportProgress("read rows")
                    error("bad row")
                }
            }

            meters.meters.map { it.describe() } shouldContainExactlyInAnyOrder listOf(
                "cancelable.operations{operation=fetch,reason=none,status=completed}",
                "cancelable.operations{operation=fetch,reason=timeout,status=canceled}",
                "cancelable.operations{operation=fetch,reason=manual,status=canceled}",
                "cancelable.operations{operation=import,reason=none,status=failed}",
                "cancelable.operations.canceled{operation=fetch,reason=timeout}",
                "cancelable.operations.canceled{operation=fetch,reason=manual}",
                "cancelable.operations.active{operation=fetch}",
                "cancelable.operations.active{operation=import}",
                "cancelable.operations.progress{operation=fetch}",
                "cancelable.operations.progress{operation=import}",
            )
            fun timer(name: String, status: String, reason: String) =
                meters.get(OperationMetrics.DURATION).tags("operation", name, "status", status, "reason", reason).timer().count()
            timer("fetch", "completed", "none") shouldBe 3
            timer("fetch", "canceled", "timeout") shouldBe 2
            timer("fetch", "canceled", "manual") shouldBe 1
            timer("import", "failed", "none") shouldBe 1
            meters.get(OperationMetrics.CANCELS).tags("operation", "fetch", "reason", "timeout").counter().count() shouldBe 2.0
            meters.get(OperationMetrics.CANCELS).tags("operation", "fetch", "reason", "manual").counter().count() shouldBe 1.0
            meters.get(OperationMetrics.PROGRESS).tags("operation", "import").counter().count() shouldBe 2.0
            meters.get(OperationMetrics.PROGRESS).tags("operation", "fetch").counter().count() shouldBe 0.0
            meters.get(OperationMetrics.ACTIVE).tags("operation", "fetch").gauge().value() shouldBe 0.0
            meters.get(OperationMetrics.ACTIVE).tags("operation", "import").gauge().value() shouldBe 0.0
            metrics.close()
        }
    }

    test("the live gauge counts operations while they run and drops as each finishes [scenario 171]") {
        runTest {
            val operations = OperationRegistry()
            val meters = SimpleMeterRegistry()
            OperationMetrics.builder().registry(operations).build().use { metrics ->
                metrics.bindTo(meters)
                val release = CompletableDeferred<Unit>()
                val jobs = List(3) { launch { Cancelable(name = "upload", registry = operations).run { release.await() } } }
                testScheduler.runCurrent()
                val gauge = meters.get(OperationMetrics.ACTIVE).tags("operation", "upload").gauge()
                gauge.value() shouldBe 3.0
                release.complete(Unit)
                jobs.forEach { it.join() }
                gauge.value() shouldBe 0.0
            }
        }
    }

    test("the cardinality cap holds with 10,000 distinct names: the first ones keep their tag, the rest fold into other [scenario 172]") {
        runTest {
            val operations = OperationRegistry(historyLimit = 0)
            val meters = SimpleMeterRegistry()
            val metrics = OperationMetrics.builder().registry(operations).maxNames(20).build()
            metrics.bindTo(meters)
            repeat(10_000) { i -> Cancelable(name = "job-$i", registry = operations).run { } }

            metrics.nameCount shouldBe 20
            val tagValues = meters.meters.map { it.id.getTag("operation") }.toSet()
            tagValues shouldBe (0 until 20).map { "job-$it" }.toSet() + "other"
            meters.get(OperationMetrics.DURATION).tags("operation", "other").timer().count() shouldBe 9_980
            meters.get(OperationMetrics.DURATION).tags("operation", "job-7").timer().count() shouldBe 1
            meters.meters.size shouldBe 21 * 3          // per value: live gauge, progress counter, completed timer
            metrics.close()
        }
    }

    test("a name normaliser and an allow-list decide the tag value; a throwing normaliser counts as other and harms no operation [scenario 173]") {
        runTest {
            val operations = OperationRegistry()
            val meters = SimpleMeterRegistry()
            OperationMetrics.builder().registry(operations)
                .nameNormalizer { it.replace(Regex("\\d+"), "*") }
                .allowNames(listOf("user_*_export"))
                .build().use { metrics ->
                    metrics.bindTo(meters)
                    listOf("user_1_export", "user_22_export", "user_3_import").forEach { Cancelable(name = it, registry = operations).run { } }
                    meters.get(OperationMetrics.DURATION).tags("operation", "user_*_export").timer().count() shouldBe 2
                    meters.get(OperationMetrics.DURATION).tags("operation", "other").timer().count() shouldBe 1
                }

            val throwing = SimpleMeterRegistry()
            OperationMetrics.builder().registry(operations).nameNormalizer(Function<String, String?> { throw IllegalStateException("boom") }).build().use {
                it.bindTo(throwing)
                Cancelable(name = "report", registry = operations).run { 42 } shouldBe 42
                throwing.get(OperationMetrics.DURATION).tags("operation", "other", "status", "completed").timer().count() shouldBe 1
            }
        }
    }

    test("bad settings are refused with the parameter's name and nothing is registered [scenario 174]") {
        val maxNames = shouldThrow<IllegalArgumentException> { OperationMetrics.builder().maxNames(0) }
        maxNames.message shouldContain "max"
        shouldThrow<IllegalArgumentException> { OperationMetrics.builder().allowNames(emptyList()) }.message shouldContain "names"
        shouldThrow<IllegalArgumentException> { OperationMetrics.builder().allowNames(listOf("a", " ")) }.message shouldContain "names"
        val closed = OperationMetrics.builder().registry(OperationRegistry()).build()
        closed.close()
        val meters = SimpleMeterRegistry()
        shouldThrow<IllegalStateException> { closed.bindTo(meters) }
        meters.meters.shouldBeEmpty()
    }

    test("unbinding removes every meter and the registry listener; later operations register nothing [scenario 175]") {
        runTest {
            val operations = OperationRegistry()
            val meters = SimpleMeterRegistry()
            val metrics = OperationMetrics.builder().registry(operations).build()
            metrics.bindTo(meters)
            metrics.bindTo(meters)                                // twice: still one set of meters
            Cancelable(name = "a", registry = operations).run { reportProgress("x") }
            shouldThrow<CanceledByTimeoutException> { Cancelable(name = "b", timeout = 1.seconds, registry = operations).run { delay(2.seconds) } }
            meters.meters.size shouldBe 7
            metrics.unbind()
            meters.meters.shouldBeEmpty()
            Cancelable(name = "c", registry = operations).run { reportProgress("y") }
            meters.meters.shouldBeEmpty()
            metrics.toString() shouldContain "bound=0"
        }
    }

    test("the binder publishes to the global registry and unbinding leaves no meter there [scenario 176]") {
        runTest {
            val operations = OperationRegistry()
            val simple = SimpleMeterRegistry()
            Metrics.addRegistry(simple)
            try {
                val metrics = OperationMetrics.builder().registry(operations).tag("app", "shop").build()
                metrics.bindTo(Metrics.globalRegistry)
                Cancelable(name = "checkout", registry = operations).run { }
                simple.get(OperationMetrics.DURATION).tags("operation", "checkout", "app", "shop").timer().count() shouldBe 1
                metrics.close()
                Metrics.globalRegistry.meters.filter { it.id.name.startsWith("cancelable.") }.shouldBeEmpty()
                simple.meters.filter { it.id.name.startsWith("cancelable.") }.shouldBeEmpty()
            } finally {
                Metrics.removeRegistry(simple)
            }
        }
    }

    test("one binder bound to two meter registries records into both [scenario 177]") {
        runTest {
            val operations = OperationRegistry()
            val first = SimpleMeterRegistry()
            val second = SimpleMeterRegistry()
            OperationMetrics.builder().registry(operations).build().use { metrics ->
                metrics.bindTo(first)
                Cancelable(name = "early", registry = operations).run { }
                metrics.bindTo(second)
                Cancelable(name = "late", registry = operations).run { }
                first.get(OperationMetrics.DURATION).tags("operation", "late").timer().count() shouldBe 1
                second.get(OperationMetrics.DURATION).tags("operation", "late").timer().count() shouldBe 1
                second.get(OperationMetrics.ACTIVE).tags("operation", "early").gauge().value() shouldBe 0.0
            }
            first.meters.shouldBeEmpty()
            second.meters.shouldBeEmpty()
        }
    }
})
