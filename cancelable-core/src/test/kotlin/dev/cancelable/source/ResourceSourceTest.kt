package dev.cancelable.source

import dev.cancelable.Cancelable
import dev.cancelable.CancellationReason
import dev.cancelable.CanceledByConditionException
import dev.cancelable.OperationStatus
import dev.cancelable.registry.OperationRegistry
import dev.cancelable.test.assertCanceledWithin
import dev.cancelable.testing.LatchedPredicate
import dev.cancelable.testing.capturingLogs
import dev.cancelable.testing.onSingleThread
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.shouldBeBetween
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.delay
import kotlinx.coroutines.test.runTest
import java.io.File
import java.util.concurrent.CopyOnWriteArrayList
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

/** A reader returning [values] in turn (the last one for ever), counting its calls. */
private class Readings(vararg values: Double) : ResourceReader {
    private val values = values.toList()
    var calls = 0
    override fun usagePercent(): Double = values[minOf(calls++, values.size - 1)]
}

class ResourceSourceTest : FunSpec({
    val registry = OperationRegistry()
    afterTest { registry.activeCount shouldBe 0 }

    test("memory at 85 % with an 80 % threshold cancels with reason CONDITION [scenario 50]") {
        runTest {
            val source = ResourceSource(memoryThreshold = 80.0, checkInterval = 100.milliseconds, readers = ResourceReaders(memory = Readings(85.0)))
            val op = Cancelable(registry = registry, sources = listOf(source))
            val e = assertCanceledWithin(0.milliseconds..0.milliseconds, CancellationReason.CONDITION, "Memory usage 85.0% exceeds the 80.0% threshold") {
                op.run { delay(1.seconds) }
            }
            (e as CanceledByConditionException).conditionName shouldBe "memory"
            op.canceledBy shouldBe "resource(memory>80.0%)"
        }
    }

    test("CPU at 95 % over 90 % and disk at 97 % over 95 % cancel too, on the first check after the rise [scenario 50]") {
        runTest {
            val cpu = ResourceSource(cpuThreshold = 90.0, checkInterval = 100.milliseconds, readers = ResourceReaders(cpu = Readings(50.0, 60.0, 95.0)))
            val e1 = assertCanceledWithin(200.milliseconds..200.milliseconds, CancellationReason.CONDITION, "CPU usage 95.0%") {
                Cancelable(registry = registry, sources = listOf(cpu)).run { delay(1.seconds) }
            }
            (e1 as CanceledByConditionException).conditionName shouldBe "cpu"

            val disk = ResourceSource(diskThreshold = 95.0, checkInterval = 100.milliseconds, readers = ResourceReaders(disk = Readings(97.0)))
            val e2 = assertCanceledWithin(0.milliseconds..0.milliseconds, CancellationReason.CONDITION, "Disk usage 97.0% exceeds the 95.0% threshold") {
                Cancelable(registry = registry, sources = listOf(disk)).run { delay(1.seconds) }
            }
            (e2 as CanceledByConditionException).conditionName shouldBe "disk"
        }
    }

    test("with every reading below its threshold the block completes [scenario 50]") {
        runTest {
            val memory = Readings(70.0)
            val source = ResourceSource(
                memoryThreshold = 80.0, cpuThreshold = 90.0, diskThreshold = 95.0, checkInterval = 100.milliseconds,
                readers = ResourceReaders(memory = memory, cpu = Readings(89.9), disk = Readings(95.0)),
            )
            val op = Cancelable(registry = registry, sources = listOf(source))
            op.run { delay(1.seconds); "done" } shouldBe "done"
            op.status shouldBe OperationStatus.COMPLETED
            memory.calls shouldBe 10
        }
    }

    test("a source with only a disk threshold ignores memory and CPU readings [scenario 51]") {
        runTest {
            val memory = Readings(99.0)
            val cpu = Readings(99.0)
            val readers = ResourceReaders(memory = memory, cpu = cpu, disk = Readings(50.0))
            Cancelable(registry = registry, sources = listOf(ResourceSource(diskThreshold = 95.0, checkInterval = 100.milliseconds, readers = readers)))
                .run { delay(1.seconds) }
            memory.calls shouldBe 0
            cpu.calls shouldBe 0
        }
    }

    test("a reader that throws is logged and the checks go on; unknown readings never fire") {
        runTest {
            var calls = 0
            val flaky = ResourceReader { if (++calls < 3) throw IllegalStateException("no reading yet") else 99.0 }
            val source = ResourceSource(memoryThreshold = 80.0, cpuThreshold = 10.0, checkInterval = 50.milliseconds,
                readers = ResourceReaders(memory = flaky, cpu = { Double.NaN }))
            assertCanceledWithin(100.milliseconds..100.milliseconds, CancellationReason.CONDITION, "Memory usage 99.0%") {
                Cancelable(registry = registry, sources = listOf(source)).run { delay(1.seconds) }
            }
        }
    }

    test("bad thresholds and intervals are rejected naming the parameter") {
        shouldThrow<IllegalArgumentException> { ResourceSource() }.message!! shouldContain "At least one threshold"
        shouldThrow<IllegalArgumentException> { ResourceSource(memoryThreshold = 0.0) }.message!! shouldContain "memoryThreshold"
        shouldThrow<IllegalArgumentException> { ResourceSource(cpuThreshold = 101.0) }.message!! shouldContain "cpuThreshold"
        shouldThrow<IllegalArgumentException> { ResourceSource(diskThreshold = Double.NaN) }.message!! shouldContain "diskThreshold"
        shouldThrow<IllegalArgumentException> { ResourceSource(diskThreshold = 90.0, checkInterval = 0.seconds) }.message!! shouldContain "checkInterval"
    }

    test("the default readers of this JVM read percentages") {
        ResourceReaders.systemMemory().usagePercent().shouldBeBetween(0.0, 100.0, 0.0)
        ResourceReaders.diskSpace(File("/")).usagePercent().shouldBeBetween(0.0, 100.0, 0.0)
        ResourceReaders.diskSpace(File(System.getProperty("java.io.tmpdir"))).usagePercent().shouldBeBetween(0.0, 100.0, 0.0)
        val cpu = ResourceReaders.systemCpu().usagePercent()
        (cpu.isNaN() || cpu in 0.0..100.0) shouldBe true
        ResourceSource(memoryThreshold = 99.9, cpuThreshold = 99.9, diskThreshold = 99.9).name shouldBe
            "resource(memory>99.9%, cpu>99.9%, disk>99.9%)"
    }

    test("the platform readers may block, so they are read off the operation's dispatcher; a reader passed in is read on it") {
        ResourceReaders.systemMemory().shouldBeInstanceOf<BlockingResourceReader>()
        ResourceReaders.systemCpu().shouldBeInstanceOf<BlockingResourceReader>()
        ResourceReaders.diskSpace(File("/")).shouldBeInstanceOf<BlockingResourceReader>()
        onSingleThread { single ->
            val platform = LatchedPredicate()
            val passedIn = CopyOnWriteArrayList<Thread>()
            val readers = ResourceReaders(
                memory = BlockingResourceReader { if (platform.evaluate()) 99.0 else 0.0 },
                cpu = { passedIn += Thread.currentThread(); 0.0 },
            )
            val op = Cancelable(registry = registry, sources = listOf(ResourceSource(memoryThreshold = 90.0, cpuThreshold = 90.0, checkInterval = 10.milliseconds, readers = readers)))
            platform.releaseFrom(this)
            shouldThrow<CanceledByConditionException> { op.run { awaitCancellation() } }.conditionName shouldBe "memory"
            platform.waits shouldBe listOf(true)
            (platform.threads.single() === single) shouldBe false
            passedIn.isEmpty() shouldBe true   // memory is read first and fires
        }
        onSingleThread { single ->
            val passedIn = CopyOnWriteArrayList<Thread>()
            val op = Cancelable(registry = registry, sources = listOf(ResourceSource(cpuThreshold = 90.0, checkInterval = 10.milliseconds,
                readers = ResourceReaders(cpu = { passedIn += Thread.currentThread(); if (passedIn.size >= 3) 95.0 else 0.0 }))))
            shouldThrow<CanceledByConditionException> { op.run { awaitCancellation() } }
            passedIn.all { it === single } shouldBe true
        }
    }

    test("a reader that always fails logs one WARN with its stack trace over 50 checks, and the block completes") {
        runTest {
            val source = ResourceSource(diskThreshold = 90.0, checkInterval = 10.milliseconds,
                readers = ResourceReaders(disk = { throw IllegalStateException("no mount") }))
            capturingLogs { logs ->
                Cancelable(registry = registry, sources = listOf(source)).run { delay(495); "done" } shouldBe "done"
                logs.warnings.filter { it.throwableProxy != null }.map { it.formattedMessage } shouldBe
                    listOf("reading disk usage failed; polling continues")
                logs.warnings.filter { it.throwableProxy == null }.map { it.formattedMessage } shouldBe
                    listOf("reading disk usage failed 10 times in a row; polling continues: java.lang.IllegalStateException: no mount")
            }
        }
    }
})
