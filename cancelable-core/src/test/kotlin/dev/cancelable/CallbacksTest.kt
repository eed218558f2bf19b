package dev.cancelable

import dev.cancelable.registry.OperationRegistry
import dev.cancelable.testing.capturingLogs
import dev.cancelable.testing.virtualClock
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeSameInstanceAs
import kotlinx.coroutines.delay
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.yield
import java.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

private data class Report(val operationId: String, val message: String, val metadata: Map<String, Any?>)

private fun ProgressReport.recorded() = Report(operation.id, message, metadata)

class CallbacksTest : FunSpec({

    test("a progress callback receives each report in order with the operation id [scenario 74]") {
        runTest {
            val reports = mutableListOf<Report>()
            val op = Cancelable(name = "steps", registry = null).onProgress { reports += it.recorded() }
            op.run {
                reportProgress("Step 1")
                reportProgress("Step 2", mapOf("value" to 42))
            }
            reports shouldBe listOf(Report(op.id, "Step 1", emptyMap()), Report(op.id, "Step 2", mapOf("value" to 42)))
        }
    }

    test("onStart and onCompleted callbacks, plain or suspending, fire in order and see RUNNING then COMPLETED [scenario 75]") {
        runTest {
            val seen = mutableListOf<String>()
            val op = Cancelable(registry = null)
                .onStart { seen += "start:${it.status}" }
                .onStart {
                    yield()
                    seen += "suspending start:${it.status}"
                }
                .onCompleted {
                    delay(5)
                    seen += "suspending complete:${it.status}"
                }
                .onCompleted { seen += "complete:${it.status}" }
            op.run { seen += "block" }
            seen shouldBe listOf(
                "start:running", "suspending start:running", "block",
                "suspending complete:completed", "complete:completed",
            )
        }
    }

    test("onCanceled fires once on a timeout with a positive duration; with every kind registered only start, canceled and finished fire [scenario 76]") {
        runTest {
            val seen = mutableListOf<String>()
            var duration: Duration? = null
            val op = Cancelable(timeout = 100.milliseconds, registry = OperationRegistry(clock = virtualClock()))
                .onStart { seen += "start" }
                .onProgress { seen += "progress" }
                .onCompleted { seen += "completed" }
                .onFailed { _, _ -> seen += "failed" }
                .onCanceled {
                    seen += "canceled"
                    it.cancelReason shouldBe CancellationReason.TIMEOUT
                    duration = it.duration
                }
                .onFinished { seen += "finished" }
            shouldThrow<CanceledByTimeoutException> { op.run { delay(1.seconds) } }
            seen shouldBe listOf("start", "canceled", "finished")
            duration shouldBe Duration.ofMillis(100)
        }
    }

    test("onFailed receives the context and the very exception; status FAILED [scenario 77]") {
        runTest {
            val boom = IllegalArgumentException("bad row")
            var received: Throwable? = null
            var status: OperationStatus? = null
            val op = Cancelable(registry = null).onFailed { context, error ->
                received = error
                status = context.status
            }
            shouldThrow<IllegalArgumentException> { op.run { throw boom } }
            received shouldBeSameInstanceAs boom
            status shouldBe OperationStatus.FAILED
        }
    }

    test("throwing callbacks are logged, the operation proceeds, later callbacks still run in order [scenario 78]") {
        runTest {
            val seen = mutableListOf<String>()
            val op = Cancelable(registry = null)
                .onStart { error("start bug") }
                .onStart { seen += "start 2" }
                .onProgress { error("progress bug") }
                .onProgress { seen += it.message }
                .onCompleted { error("complete bug") }
                .onCompleted { seen += "complete 2" }
            capturingLogs { logs ->
                op.run {
                    reportProgress("halfway")
                    "ok"
                } shouldBe "ok"
                logs.warnings.size shouldBe 3
            }
            seen shouldBe listOf("start 2", "halfway", "complete 2")
            op.status shouldBe OperationStatus.COMPLETED

            val failing = Cancelable(registry = null).onFailed { _, _ -> error("failed bug") }.onCanceled { error("canceled bug") }
            capturingLogs { logs ->
                shouldThrow<IllegalStateException> { failing.run { error("real failure") } }.message shouldBe "real failure"
                logs.warnings.size shouldBe 1
            }
            failing.status shouldBe OperationStatus.FAILED
        }
    }

    test("reportProgress without callbacks, or after the operation ended, does nothing [scenario 78]") {
        runTest {
            val silent = Cancelable(registry = null)
            silent.run { reportProgress("nobody listens") }
            val seen = mutableListOf<String>()
            val op = Cancelable(registry = null).onProgress { seen += it.message }
            op.run { reportProgress("inside") }
            op.reportProgress("after exit")
            op.reportProgress("after exit")
            seen shouldBe listOf("inside")
        }
    }

    test("progress bubbles to the parent and the grandparent with the reporter's id [scenario 79]") {
        runTest {
            val byParent = mutableListOf<Report>()
            val byGrandparent = mutableListOf<Report>()
            val byChild = mutableListOf<Report>()
            val grandparent = Cancelable(name = "gp", registry = null).onProgress { byGrandparent += it.recorded() }
            val parent = Cancelable(name = "p", registry = null).onProgress { byParent += it.recorded() }
            val child = Cancelable(name = "c", registry = null).onProgress { byChild += it.recorded() }
            grandparent.run {
                parent.run {
                    child.run { reportProgress("hello") }
                }
            }
            val expected = listOf(Report(child.id, "hello", emptyMap()))
            byChild shouldBe expected
            byParent shouldBe expected
            byGrandparent shouldBe expected
        }
    }

    test("currentOperation reports progress from a helper that does not get the operation passed in") {
        runTest {
            suspend fun step(i: Int) = currentOperation()?.reportProgress("step $i")
            val seen = mutableListOf<String>()
            Cancelable(registry = null).onProgress { seen += it.message }.run { step(1); step(2) }
            step(3)
            seen shouldBe listOf("step 1", "step 2")
        }
    }

    test("blocking callers report progress with the same reportProgress, on their own thread") {
        val seen = mutableListOf<String>()
        val threads = mutableListOf<Thread>()
        val op = Cancelable(registry = null).onProgress {
            seen += it.message
            threads += Thread.currentThread()
        }
        op.callBlocking { it.reportProgress("from a thread") }
        seen shouldBe listOf("from a thread")
        threads shouldBe listOf(Thread.currentThread())
    }

    test("onStart and the terminal callback pair up even when the caller is canceled before the block can start") {
        runTest {
            val events = mutableListOf<String>()
            val registry = OperationRegistry()
            run {
                Cancelable(registry = null).run {
                    operation.cancel()
                    val child = Cancelable(name = "late", registry = registry)
                        .onStart { events += "start ${it.status}" }
                        .onCanceled { events += "canceled ${it.cancelReason}" }
                    try {
                        child.run { events += "block" }
                    } catch (e: kotlinx.coroutines.CancellationException) {
                        events += "threw"
                    }
                    child.status shouldBe OperationStatus.CANCELED
                }
            }
            events shouldBe listOf("start running", "canceled parent", "threw")
            registry.activeCount shouldBe 0
            registry.history().single().status shouldBe OperationStatus.CANCELED
        }
    }
})
