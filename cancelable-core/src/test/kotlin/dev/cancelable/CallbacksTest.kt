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

class CallbacksTest : FunSpec({

    test("scenario 74: a progress callback receives each report in order with the operation id") {
        runTest {
            val reports = mutableListOf<Report>()
            val op = Cancelable(name = "steps", registry = null).onProgress { id, message, meta -> reports += Report(id, message, meta) }
            op.run {
                reportProgress("Step 1")
                reportProgress("Step 2", mapOf("value" to 42))
            }
            reports shouldBe listOf(Report(op.id, "Step 1", emptyMap()), Report(op.id, "Step 2", mapOf("value" to 42)))
        }
    }

    test("scenario 75: start and complete callbacks, plain or suspending, fire in order and see RUNNING then COMPLETED") {
        runTest {
            val seen = mutableListOf<String>()
            val op = Cancelable(registry = null)
                .onStart { seen += "start:${it.status}" }
                .onStart {
                    yield()
                    seen += "suspending start:${it.status}"
                }
                .onComplete {
                    delay(5)
                    seen += "suspending complete:${it.status}"
                }
                .onComplete { seen += "complete:${it.status}" }
            op.run { seen += "block" }
            seen shouldBe listOf(
                "start:running", "suspending start:running", "block",
                "suspending complete:completed", "complete:completed",
            )
        }
    }

    test("scenario 76: onCancel fires once on a timeout with a positive duration; of all four kinds only start and cancel fire") {
        runTest {
            val seen = mutableListOf<String>()
            var duration: Duration? = null
            val op = Cancelable.withTimeout(100.milliseconds, registry = OperationRegistry(clock = virtualClock()))
                .onStart { seen += "start" }
                .onComplete { seen += "complete" }
                .onError { _, _ -> seen += "error" }
                .onCancel {
                    seen += "cancel"
                    it.cancelReason shouldBe CancellationReason.TIMEOUT
                    duration = it.duration
                }
            shouldThrow<CanceledByTimeoutException> { op.run { delay(1.seconds) } }
            seen shouldBe listOf("start", "cancel")
            duration shouldBe Duration.ofMillis(100)
        }
    }

    test("scenario 77: onError receives the context and the very exception; status FAILED") {
        runTest {
            val boom = IllegalArgumentException("bad row")
            var received: Throwable? = null
            var status: OperationStatus? = null
            val op = Cancelable(registry = null).onError { context, error ->
                received = error
                status = context.status
            }
            shouldThrow<IllegalArgumentException> { op.run { throw boom } }
            received shouldBeSameInstanceAs boom
            status shouldBe OperationStatus.FAILED
        }
    }

    test("scenario 78: throwing callbacks are logged, the operation proceeds, later callbacks still run in order") {
        runTest {
            val seen = mutableListOf<String>()
            val op = Cancelable(registry = null)
                .onStart { error("start bug") }
                .onStart { seen += "start 2" }
                .onProgress { _, _, _ -> error("progress bug") }
                .onProgress { _, message, _ -> seen += message }
                .onComplete { error("complete bug") }
                .onComplete { seen += "complete 2" }
            capturingLogs { logs ->
                op.run {
                    reportProgress("halfway")
                    "ok"
                } shouldBe "ok"
                logs.warnings.size shouldBe 3
            }
            seen shouldBe listOf("start 2", "halfway", "complete 2")
            op.status shouldBe OperationStatus.COMPLETED

            val failing = Cancelable(registry = null).onError { _, _ -> error("error bug") }.onCancel { error("cancel bug") }
            capturingLogs { logs ->
                shouldThrow<IllegalStateException> { failing.run { error("real failure") } }.message shouldBe "real failure"
                logs.warnings.size shouldBe 1
            }
            failing.status shouldBe OperationStatus.FAILED
        }
    }

    test("scenario 78: reportProgress without callbacks, or after the operation ended, does nothing") {
        runTest {
            val silent = Cancelable(registry = null)
            silent.run { reportProgress("nobody listens") }
            val seen = mutableListOf<String>()
            val op = Cancelable(registry = null).onProgress { _, message, _ -> seen += message }
            op.run { reportProgress("inside") }
            op.reportProgress("after exit")
            op.reportProgressBlocking("after exit")
            seen shouldBe listOf("inside")
        }
    }

    test("scenario 79: progress bubbles to the parent and the grandparent with the reporter's id") {
        runTest {
            val byParent = mutableListOf<Report>()
            val byGrandparent = mutableListOf<Report>()
            val byChild = mutableListOf<Report>()
            val grandparent = Cancelable(name = "gp", registry = null).onProgress { id, m, meta -> byGrandparent += Report(id, m, meta) }
            val parent = Cancelable(name = "p", registry = null).onProgress { id, m, meta -> byParent += Report(id, m, meta) }
            val child = Cancelable(name = "c", registry = null).onProgress { id, m, meta -> byChild += Report(id, m, meta) }
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
            Cancelable(registry = null).onProgress { _, message, _ -> seen += message }.run { step(1); step(2) }
            step(3)
            seen shouldBe listOf("step 1", "step 2")
        }
    }

    test("blocking callers report progress through reportProgressBlocking, reaching suspending callbacks too") {
        val seen = mutableListOf<String>()
        val op = Cancelable(registry = null).onProgress { _, message, _ ->
            delay(1)
            seen += message
        }
        op.callBlocking { it.reportProgressBlocking("from a thread") }
        seen shouldBe listOf("from a thread")
    }

    test("onStart and the terminal callback pair up even when the caller is canceled before the block can start") {
        runTest {
            val events = mutableListOf<String>()
            val registry = OperationRegistry()
            run {
                Cancelable(registry = null).run {
                    cancel()
                    val child = Cancelable(name = "late", registry = registry)
                        .onStart { events += "start ${it.status}" }
                        .onCancel { events += "cancel ${it.cancelReason}" }
                    try {
                        child.run { events += "block" }
                    } catch (e: kotlinx.coroutines.CancellationException) {
                        events += "threw"
                    }
                    child.status shouldBe OperationStatus.CANCELED
                }
            }
            events shouldBe listOf("start running", "cancel parent", "threw")
            registry.activeCount shouldBe 0
            registry.history().single().status shouldBe OperationStatus.CANCELED
        }
    }
})
