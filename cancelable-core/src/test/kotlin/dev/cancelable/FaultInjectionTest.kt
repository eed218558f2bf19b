package dev.cancelable

import dev.cancelable.internal.Timers
import dev.cancelable.registry.OperationRegistry
import dev.cancelable.source.AnyOfSource
import dev.cancelable.source.ConditionSource
import dev.cancelable.source.ResourceReaders
import dev.cancelable.source.ResourceSource
import dev.cancelable.source.SourceScope
import dev.cancelable.source.TimeoutSource
import dev.cancelable.source.TokenSource
import dev.cancelable.testing.LogCapture
import dev.cancelable.testing.ScriptedSource
import dev.cancelable.testing.capturingLogs
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.ints.shouldBeGreaterThanOrEqual
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeSameInstanceAs
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.delay
import kotlinx.coroutines.job
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.withTimeout
import java.io.IOException
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import java.util.function.BooleanSupplier
import kotlin.concurrent.thread
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

/**
 * A fault at every user hook: callbacks, cancel hooks, predicates and readers that throw, sources
 * whose attach or dispose throws, and threads interrupted by someone else. Each runs through the
 * suspend path and the blocking path, and must end in the right status with the right exception
 * for the caller, log the failure at WARN, and leave no registry entry, timer or registration.
 */
class FaultInjectionTest : FunSpec({
    afterTest { Thread.interrupted() }

    /** What one faulty hook does to a run, and what the run must end with. */
    class HookFault(
        val hook: String,
        val status: OperationStatus,
        val logged: String,
        /** Adds a throwing hook and, after it, one that records into the list. */
        val configure: (Cancelable, MutableList<String>) -> Unit,
        /** The block: completes, cancels itself, or fails. */
        val block: (Cancelable, MutableList<String>) -> Unit = { _, _ -> },
        val expected: List<String>,
    )

    val boom = IOException("the block failed")
    val faults = listOf(
        HookFault(
            "onStart", OperationStatus.COMPLETED, "start callback of operation",
            configure = { op, seen -> op.onStart { error("start hook failed") }.onStart { seen += "start" } },
            expected = listOf("start"),
        ),
        HookFault(
            "suspending onStart", OperationStatus.COMPLETED, "start callback of operation",
            configure = { op, seen -> op.onStart { delay(1); error("start hook failed") }.onStart { seen += "start" } },
            expected = listOf("start"),
        ),
        HookFault(
            "onProgress", OperationStatus.COMPLETED, "progress callback of operation",
            configure = { op, seen -> op.onProgress { error("progress hook failed") }.onProgress { seen += it.message } },
            block = { op, _ -> op.reportProgress("half") },
            expected = listOf("half"),
        ),
        HookFault(
            "onCompleted", OperationStatus.COMPLETED, "completed callback of operation",
            configure = { op, seen -> op.onCompleted { error("completed hook failed") }.onCompleted { seen += "completed" } },
            expected = listOf("completed"),
        ),
        HookFault(
            "onCanceled", OperationStatus.CANCELED, "canceled callback of operation",
            configure = { op, seen -> op.onCanceled { error("canceled hook failed") }.onCanceled { seen += "canceled ${it.cancelReason}" } },
            block = { op, _ -> op.cancel(CancellationReason.MANUAL, "stop"); op.throwIfCanceled() },
            expected = listOf("canceled manual"),
        ),
        HookFault(
            "onFailed", OperationStatus.FAILED, "failed callback of operation",
            configure = { op, seen -> op.onFailed { _, _ -> error("failed hook failed") }.onFailed { _, e -> seen += "failed ${e.message}" } },
            block = { _, _ -> throw boom },
            expected = listOf("failed the block failed"),
        ),
        HookFault(
            "onFinished", OperationStatus.FAILED, "finished callback of operation",
            configure = { op, seen -> op.onFinished { error("finished hook failed") }.onFinished { seen += "finished ${it.status}" } },
            block = { _, _ -> throw boom },
            expected = listOf("finished failed"),
        ),
        HookFault(
            "cancel-request", OperationStatus.CANCELED, "cancel-request hook of operation",
            configure = { _, _ -> },
            block = { op, seen ->
                op.onCancelRequested { error("cancel-request hook failed") }
                op.onCancelRequested { seen += "hook ${it.reason}" }
                op.cancel(CancellationReason.SIGNAL, "stop")
                op.throwIfCanceled()
            },
            expected = listOf("hook signal"),
        ),
    )

    /** A WARN containing [text] was logged, with the hook's exception (whose message has [cause]) attached. */
    fun LogCapture.shouldHaveLogged(text: String, cause: String? = null) =
        withClue("a WARN containing '$text' (cause '$cause') in ${warnings.map { "${it.formattedMessage} / ${it.throwableProxy?.message}" }}") {
            warningsContaining(text).count { cause == null || it.throwableProxy?.message?.contains(cause) == true } shouldBeGreaterThanOrEqual 1
        }

    /** The run left nothing behind: one finished entry in [registry], no live one, no armed timer. */
    fun assertNothingLeft(registry: OperationRegistry, status: OperationStatus) {
        registry.activeCount shouldBe 0
        registry.history().map { it.status } shouldBe listOf(status)
        Timers.pendingSharedTimers shouldBe 0
    }

    /** The caller saw what [status] calls for: the value, the block's own exception, or the typed cancellation. */
    fun assertOutcome(fault: HookFault, outcome: Result<String>, op: Cancelable) {
        op.status shouldBe fault.status
        when (fault.status) {
            OperationStatus.COMPLETED -> outcome.getOrNull() shouldBe "value"
            OperationStatus.FAILED -> outcome.exceptionOrNull() shouldBeSameInstanceAs boom
            else -> (outcome.exceptionOrNull() as OperationCanceledException).reason shouldBe op.cancelReason
        }
    }

    for (fault in faults) {
        test("a throwing ${fault.hook} hook, suspend path: logged, the run ends ${fault.status}, later hooks still run") {
            runTest {
                val registry = OperationRegistry()
                val seen = mutableListOf<String>()
                val op = Cancelable(name = "faulty", timeout = 1.seconds, registry = registry)
                fault.configure(op, seen)
                capturingLogs { logs ->
                    val outcome = runCatching { op.run { fault.block(operation, seen); delay(1); "value" } }
                    assertOutcome(fault, outcome, op)
                    logs.shouldHaveLogged(fault.logged, "hook failed")
                }
                seen shouldBe fault.expected
                assertNothingLeft(registry, fault.status)
            }
        }

        test("a throwing ${fault.hook} hook, blocking path: logged, the run ends ${fault.status}, later hooks still run") {
            val registry = OperationRegistry()
            val seen = mutableListOf<String>()
            val op = Cancelable(name = "faulty", timeout = 10.seconds, registry = registry)
            fault.configure(op, seen)
            capturingLogs { logs ->
                val outcome = runCatching { op.callBlocking { fault.block(it, seen); "value" } }
                assertOutcome(fault, outcome, op)
                logs.shouldHaveLogged(fault.logged, "hook failed")
            }
            seen shouldBe fault.expected
            Thread.currentThread().isInterrupted shouldBe false
            assertNothingLeft(registry, fault.status)
        }
    }

    test("a token callback that throws: logged, the operation watching the token is still canceled") {
        runTest {
            val registry = OperationRegistry()
            val token = CancellationToken()
            token.onCancelRequested { error("token hook failed") }
            val op = Cancelable(token = token, registry = registry)
            capturingLogs { logs ->
                val thrown = shouldThrow<CanceledByConditionException> {
                    op.run {
                        token.cancel(CancellationReason.CONDITION, "enough")
                        awaitCancellation()
                    }
                }
                thrown.message shouldBe "enough"
                logs.shouldHaveLogged("cancel callback of token", "token hook failed")
            }
            token.registrationCount shouldBe 0
            assertNothingLeft(registry, OperationStatus.CANCELED)
        }
    }

    // ---- predicates and readers ------------------------------------------------------------------

    test("a plain predicate that throws twice, then holds: the first failure logged at WARN, the run canceled on the third check") {
        runTest {
            val registry = OperationRegistry()
            val calls = AtomicInteger()
            val flaky = BooleanSupplier { if (calls.incrementAndGet() <= 2) throw IllegalStateException("sensor offline") else true }
            val op = Cancelable(sources = listOf(ConditionSource(flaky, java.time.Duration.ofMillis(10), "flaky")), registry = registry)
            capturingLogs { logs ->
                shouldThrow<CanceledByConditionException> { op.run { awaitCancellation() } }.message shouldBe "Condition 'flaky' met after 3 checks"
                logs.warningsContaining("condition 'flaky' threw; polling continues").size shouldBe 1
            }
            assertNothingLeft(registry, OperationStatus.CANCELED)
        }
    }

    test("a suspending predicate that throws twice, then holds: the same, blocking path, and its poller ends with the run") {
        val registry = OperationRegistry()
        val calls = AtomicInteger()
        val flaky = ConditionSource(
            predicate = {
                delay(1)
                if (calls.incrementAndGet() <= 2) throw IOException("probe failed") else true
            },
            checkInterval = 1.milliseconds,
            conditionName = "flaky",
        )
        val op = Cancelable(sources = listOf(flaky), registry = registry)
        capturingLogs { logs ->
            shouldThrow<CanceledByConditionException> {
                op.callBlocking { CountDownLatch(1).await(10, TimeUnit.SECONDS) }
            }.message shouldBe "Condition 'flaky' met after 3 checks"
            logs.warningsContaining("condition 'flaky' threw; polling continues").size shouldBe 1
        }
        val poller = (op as SourceScope).coroutineScope.coroutineContext.job
        runBlocking { withTimeout(5.seconds) { poller.join() } }
        poller.isCancelled shouldBe true
        Thread.currentThread().isInterrupted shouldBe false
        assertNothingLeft(registry, OperationStatus.CANCELED)
    }

    test("a predicate that always throws never cancels: the block completes, its first failure logged at WARN") {
        runTest {
            val registry = OperationRegistry()
            val op = Cancelable(sources = listOf(ConditionSource({ throw IllegalStateException("broken") }, 10.milliseconds, "broken")), registry = registry)
            capturingLogs { logs ->
                op.run { delay(35); "value" } shouldBe "value"
                logs.warningsContaining("condition 'broken' threw").size shouldBe 1
            }
            assertNothingLeft(registry, OperationStatus.COMPLETED)
        }
    }

    test("a resource reader that throws: logged, checks go on, and the next reading over the threshold cancels") {
        runTest {
            val registry = OperationRegistry()
            val calls = AtomicInteger()
            val readers = ResourceReaders(memory = { if (calls.incrementAndGet() == 1) throw IllegalStateException("no /proc") else 99.0 })
            val op = Cancelable(sources = listOf(ResourceSource(memoryThreshold = 90.0, checkInterval = 10.milliseconds, readers = readers)), registry = registry)
            capturingLogs { logs ->
                shouldThrow<CanceledByConditionException> { op.run { awaitCancellation() } }.conditionName shouldBe "memory"
                logs.shouldHaveLogged("reading memory usage failed", "no /proc")
            }
            assertNothingLeft(registry, OperationStatus.CANCELED)
        }
    }

    // ---- sources ---------------------------------------------------------------------------------

    test("a source whose attach throws: logged, the run goes on with its other sources, which fire and are released") {
        val token = CancellationToken()
        val broken = ScriptedSource(failOnAttach = true, label = "broken")
        runTest {
            val registry = OperationRegistry()
            val op = Cancelable(sources = listOf(broken, TokenSource(token), TimeoutSource(50.milliseconds)), registry = registry)
            capturingLogs { logs ->
                shouldThrow<CanceledByTimeoutException> { op.run { awaitCancellation() } }
                logs.shouldHaveLogged("source broken of operation ${op.id} failed to attach", "attach failed on purpose")
            }
            assertNothingLeft(registry, OperationStatus.CANCELED)
        }
        val registry = OperationRegistry()
        val op = Cancelable(sources = listOf(broken, TokenSource(token), TimeoutSource(10.seconds)), registry = registry)
        capturingLogs { logs ->
            shouldThrow<CanceledManuallyException> {
                op.callBlocking {
                    token.cancel(CancellationReason.MANUAL, "stop")
                    CountDownLatch(1).await(10, TimeUnit.SECONDS)
                }
            }
            logs.shouldHaveLogged("failed to attach")
        }
        token.registrationCount shouldBe 0
        broken.live shouldBe 0
        assertNothingLeft(registry, OperationStatus.CANCELED)
    }

    test("a source whose dispose throws: logged, the run keeps its status, and every other source is still released") {
        for (blocking in listOf(false, true)) {
            val token = CancellationToken()
            val broken = ScriptedSource(failOnDispose = true, label = "broken")
            val registry = OperationRegistry()
            val op = Cancelable(sources = listOf(broken, TokenSource(token), TimeoutSource(10.seconds)), registry = registry)
            capturingLogs { logs ->
                val value = if (blocking) op.callBlocking { "value" } else runBlocking { op.run { "value" } }
                value shouldBe "value"
                logs.shouldHaveLogged("a source of operation ${op.id} failed to dispose", "dispose failed on purpose")
            }
            broken.disposed.get() shouldBe 1
            token.registrationCount shouldBe 0
            assertNothingLeft(registry, OperationStatus.COMPLETED)
        }
    }

    test("a composite's child whose attach throws: logged, the composite still fires through its other children") {
        runTest {
            val registry = OperationRegistry()
            val source = AnyOfSource(ScriptedSource(failOnAttach = true, label = "broken"), TimeoutSource(20.milliseconds))
            val op = Cancelable(sources = listOf(source), registry = registry)
            capturingLogs { logs ->
                shouldThrow<CanceledByTimeoutException> { op.run { awaitCancellation() } }
                logs.shouldHaveLogged("source broken failed to attach; it is ignored")
            }
            assertNothingLeft(registry, OperationStatus.CANCELED)
        }
    }

    // ---- interrupted threads ---------------------------------------------------------------------

    test("a thread interrupted before callBlocking: a blocking block sees a MANUAL cancel, and the flag is set again") {
        val registry = OperationRegistry()
        val op = Cancelable(registry = registry)
        capturingLogs { logs ->
            Thread.currentThread().interrupt()
            shouldThrow<CanceledManuallyException> { op.callBlocking { CountDownLatch(1).await() } }.message shouldBe "Operation canceled: thread interrupted"
            Thread.interrupted() shouldBe true
            logs.warnings.shouldBeEmpty()
        }
        assertNothingLeft(registry, OperationStatus.CANCELED)
    }

    test("a thread interrupted before callBlocking whose block never blocks: COMPLETED, and the flag is left alone") {
        val registry = OperationRegistry()
        Thread.currentThread().interrupt()
        Cancelable(registry = registry).callBlocking { "value" } shouldBe "value"
        Thread.interrupted() shouldBe true
        assertNothingLeft(registry, OperationStatus.COMPLETED)
    }

    test("a thread interrupted by another thread during callBlocking: a MANUAL cancel, and the flag is set again") {
        val registry = OperationRegistry()
        val op = Cancelable(timeout = 10.seconds, registry = registry)
        val blocked = CountDownLatch(1)
        val caller = Thread.currentThread()
        val interrupter = thread(name = "interrupter") {
            blocked.await()
            caller.interrupt()
        }
        shouldThrow<CanceledManuallyException> { op.callBlocking { blocked.countDown(); CountDownLatch(1).await() } }
        Thread.interrupted() shouldBe true
        interrupter.join(10_000)
        assertNothingLeft(registry, OperationStatus.CANCELED)
    }

    test("with interrupts off, an interrupt from someone else seen by throwIfCanceled is a MANUAL cancel, the flag set again") {
        val registry = OperationRegistry()
        Thread.currentThread().interrupt()
        shouldThrow<CanceledManuallyException> { Cancelable(registry = registry).callBlocking(interruptOnCancel = false) { it.throwIfCanceled() } }
        Thread.interrupted() shouldBe true
        assertNothingLeft(registry, OperationStatus.CANCELED)
    }

    test("the interrupt an operation's own cancel delivers never leaks out of its call") {
        val registry = OperationRegistry()
        val op = Cancelable(registry = registry)
        val blocked = CountDownLatch(1)
        val canceler = thread(name = "canceler") { blocked.await(); op.cancel(CancellationReason.MANUAL, "stop") }
        val thrown = shouldThrow<CanceledManuallyException> { op.callBlocking { blocked.countDown(); CountDownLatch(1).await() } }
        thrown.message shouldContain "stop"
        Thread.currentThread().isInterrupted shouldBe false
        canceler.join(10_000)
        assertNothingLeft(registry, OperationStatus.CANCELED)
    }
})
