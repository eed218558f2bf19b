package dev.cancelable.source

import dev.cancelable.Cancelable
import dev.cancelable.CancellationReason
import dev.cancelable.OperationStatus
import dev.cancelable.CanceledBySignalException
import dev.cancelable.internal.SignalDispatcher
import dev.cancelable.registry.OperationRegistry
import dev.cancelable.test.EventKind
import dev.cancelable.test.OperationRecorder
import dev.cancelable.test.assertCanceledWithin
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.runTest
import kotlin.time.Duration.Companion.milliseconds

/**
 * The signal source in this JVM. Handlers are really installed and restored, but a delivery is
 * simulated through the dispatcher (the test JVM must not receive real signals); [SignalForkTest]
 * sends real ones to a JVM of its own.
 */
class SignalSourceTest : FunSpec({
    val registry = OperationRegistry()
    afterTest {
        registry.activeCount shouldBe 0
        listOf("INT", "TERM", "USR1", "USR2").forEach { SignalDispatcher.listenerCount(it) shouldBe 0 }
    }

    test("with no arguments the source watches SIGINT and SIGTERM [scenario 52]") {
        SignalSource().signals shouldBe listOf("INT", "TERM")
        Cancelable(sources = listOf(SignalSource()), registry = null).name shouldBe "signal_based"
    }

    test("with USR1 and USR2 it watches exactly those, with or without the SIG prefix [scenario 52]") {
        SignalSource("USR1", "USR2").signals shouldBe listOf("USR1", "USR2")
        SignalSource("SIGUSR1", " usr2 ", "USR1").signals shouldBe listOf("USR1", "USR2")
    }

    test("an unknown signal name is rejected [scenario 52]") {
        shouldThrow<IllegalArgumentException> { SignalSource("NOPE") }.message!! shouldContain "unknown signal 'NOPE'"
        shouldThrow<IllegalArgumentException> { SignalSource("INT", "BOGUS") }.message!! shouldContain "BOGUS"
    }

    test("signals that cannot be watched are rejected at construction [scenario 52]") {
        shouldThrow<IllegalArgumentException> { SignalSource("KILL") }.message!! shouldContain "cannot be caught"
        shouldThrow<IllegalArgumentException> { SignalSource("STOP") }.message!! shouldContain "cannot be caught"
        shouldThrow<IllegalArgumentException> { SignalSource("QUIT") }.message!! shouldContain "reserved by the JVM"
        shouldThrow<IllegalArgumentException> { SignalSource("SIGSEGV") }.message!! shouldContain "reserved by the JVM"
    }

    test("a watched signal cancels the operation with reason SIGNAL [scenario 52]") {
        runTest {
            val recorder = OperationRecorder()
            val op = recorder.record(Cancelable(sources = listOf(SignalSource("USR1", "USR2")), registry = registry))
            launch {
                delay(40)
                SignalDispatcher.listenerCount("USR1") shouldBe 1
                SignalDispatcher.listenerCount("USR2") shouldBe 1
                SignalDispatcher.deliver("USR2", 12)
            }
            val e = assertCanceledWithin(40.milliseconds..40.milliseconds, CancellationReason.SIGNAL, "Received signal SIGUSR2 (12)") {
                op.run { awaitCancellation() }
            }
            e as CanceledBySignalException
            e.signal shouldBe "SIGUSR2"
            e.signalNumber shouldBe 12
            op.canceledBy shouldBe "signal(USR1, USR2)"
            recorder.assertKinds(EventKind.START, EventKind.CANCEL)
        }
    }

    test("one process-wide handler serves every operation watching a signal [scenario 52]") {
        runTest {
            val first = Cancelable(sources = listOf(SignalSource("USR1")), registry = registry)
            val second = Cancelable(sources = listOf(SignalSource("USR1")), registry = registry)
            launch { shouldThrow<CanceledBySignalException> { first.run { awaitCancellation() } } }
            launch { shouldThrow<CanceledBySignalException> { second.run { awaitCancellation() } } }
            delay(10)
            SignalDispatcher.listenerCount("USR1") shouldBe 2
            SignalDispatcher.deliver("USR1", 10)
            delay(10)
            first.status shouldBe OperationStatus.CANCELED
            second.status shouldBe OperationStatus.CANCELED
            SignalDispatcher.listenerCount("USR1") shouldBe 0
        }
    }

    test("after the last operation ends, the previous handler is back, and one installed meanwhile stays [scenario 53]") {
        runTest {
            val usr1 = sun.misc.Signal("USR1")
            val mine = sun.misc.SignalHandler { }
            val original = sun.misc.Signal.handle(usr1, mine)
            try {
                Cancelable(sources = listOf(SignalSource("USR1")), registry = registry).run { delay(5) }
                // Our handler was installed while it ran and has been replaced by the previous one.
                sun.misc.Signal.handle(usr1, mine) shouldBe mine

                val theirs = sun.misc.SignalHandler { }
                Cancelable(sources = listOf(SignalSource("USR1")), registry = registry).run {
                    sun.misc.Signal.handle(usr1, theirs)
                    delay(5)
                }
                sun.misc.Signal.handle(usr1, mine) shouldBe theirs
            } finally {
                sun.misc.Signal.handle(usr1, original)
            }
        }
    }

    test("an operation that ends normally unregisters and nothing fires afterwards [scenario 53]") {
        runTest {
            val op = Cancelable(sources = listOf(SignalSource("USR2")), registry = registry)
            op.run { delay(10) }
            SignalDispatcher.listenerCount("USR2") shouldBe 0
            SignalDispatcher.deliver("USR2", 12)
            op.status shouldBe OperationStatus.COMPLETED
            op.isCanceled shouldBe false
        }
    }

    test("a signal the JVM refuses leaves nothing registered") {
        shouldThrow<IllegalArgumentException> { SignalDispatcher.register("QUIT") { } }
        SignalDispatcher.listenerCount("QUIT") shouldBe 0
    }
})
